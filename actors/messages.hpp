// The messages that Shoal's actors exchange, and their type IDs.
//
// Every message is a plain value (no pointers shared between actors) with an
// `inspect()`, so any actor can live on another cluster member unchanged.
// Control messages are tuples tagged with an atom; data travels in `batch`.
//
// The protocol of a data edge (subscribe, batch, need, frontier, swap,
// move) is documented in one place, actors/dataflow/data_edge.hpp, with the
// glue that the data actors share.

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/type_id.hpp"

#include "actors/cluster/directory.hpp"
#include "actors/wire_packing.hpp"
#include "runtime/core/counters.hpp"
#include "runtime/core/output_row.hpp"
#include "runtime/core/reject_log.hpp"
#include "runtime/core/row_table.hpp"
#include "runtime/core/types.hpp"
#include "runtime/graph/graph_spec.hpp"
#include "runtime/http/member_work.hpp"

namespace shoal {

/// Outputs of one node (or samples of one source) for one receiver, followed
/// by the sender's watermark.
struct batch {
  /// Identifies the sender among the receiver's inputs (see `node_key`).
  uint64_t from = 0;
  std::vector<point> points;
  int64_t wm = wm_none;
  /// Progress token (actors/dataflow/progress.hpp) the sender counted this
  /// batch under, for receivers in the sender's band-counted deployment;
  /// INT64_MIN when not counted.
  int64_t token = INT64_MIN;
  /// A checkpoint mark that follows the points and the watermark, or 0
  /// (actors/dataflow/checkpoint_marks.hpp): a mark travels on the data it
  /// comes after, so that it reaches a receiver in the same message.
  uint64_t mark = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, batch& x) {
  packed<point> points{&x.points};
  return f(x.from, points, x.wm, x.token, x.mark);
}

/// Batches from one source for several sensors that run in one actor (a
/// cell group, actors/dataflow/cell_actor.hpp): `batches[i]` is for the
/// sensor with directory index `sensors[i]`. One message per receiver and
/// flush instead of one per sensor.
struct sensor_feed {
  std::vector<uint32_t> sensors;
  std::vector<batch> batches;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, sensor_feed& x) {
  packed<uint32_t> sensors{&x.sensors};
  return f(sensors, x.batches);
}

/// A cluster member as the others know it.
struct member_info {
  std::string name;
  /// "host:port" where its middleman listens.
  std::string address;
  /// Its member actor (actors/cluster/member_actor.hpp).
  caf::actor handle;
  /// Its graph host (actors/cluster/graph_host.hpp), which runs its nodes.
  caf::actor host;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, member_info& x) {
  return f(x.name, x.address, x.handle, x.host);
}

/// A node's state as it moves to another member, from its old actor to its
/// new one (actors/cluster/rebalance.hpp).
struct handover {
  /// The node's own state as bytes: its join and its function's state
  /// (features and models), or its gate and floor (sensors).
  std::string state;
  /// Why the function's state could not move, if so: the node starts cold.
  std::string cold;
  /// The subscribers, what each asked for and the watermark each was sent.
  std::vector<caf::actor> subs;
  std::vector<int64_t> requested;
  std::vector<int64_t> sent;
  /// Features and models: the inputs, in `needs` order.
  std::vector<caf::actor> inputs;
  /// The latest output.
  point last;
  node_counts counts;
  ingest_counts samples;
  /// Sensors: the attached sources, their keys, the sensor's index at each,
  /// and each one's watermark.
  std::vector<caf::actor> sources;
  std::vector<uint64_t> source_keys;
  std::vector<uint64_t> source_index;
  std::vector<int64_t> source_wm;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, handover& x) {
  return f(x.state, x.cold, x.subs, x.requested, x.sent, x.inputs, x.last,
           x.counts, x.samples, x.sources, x.source_keys, x.source_index,
           x.source_wm);
}

/// How much of its input `shoalctl replay` sends in one piece: every piece
/// is read and flushed through the graph at once, and each flush costs a
/// message per sensor and per edge, half of them across members, so fewer,
/// larger pieces make a cluster replay faster (docs/performance.md, "The
/// cluster replay"). A member holds about two.
constexpr size_t replay_piece_bytes = size_t{8} << 20;

/// The largest piece a member takes; a larger one is refused with an error.
constexpr size_t replay_piece_max_bytes = size_t{16} << 20;

/// A piece of the input that `shoalctl replay` streams to a member
/// (actors/cluster/replay_session.hpp): whole lines (a line longer than a
/// piece is split), in order, each acknowledged before the next is sent.
struct replay_chunk {
  /// The session the member named in its first acknowledgement; 0 in the
  /// first chunk, which opens one.
  uint64_t session = 0;
  /// 0, 1, 2, ... in the order of the input.
  uint64_t seq = 0;
  /// Where `data` starts in the input, in bytes.
  uint64_t offset = 0;
  std::string data;
  /// The input ends after `data`.
  bool last = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, replay_chunk& x) {
  return f(x.session, x.seq, x.offset, x.data, x.last);
}

/// A member took a `replay_chunk` into its replay: the input up to `offset`
/// is in the graph or on its way.
struct replay_ack {
  uint64_t session = 0;
  uint64_t seq = 0;
  /// Bytes of the input taken so far, this chunk included.
  uint64_t offset = 0;
  /// False when the member's output buffer was full: the chunk was not
  /// taken (`offset` is where it starts) and is sent again once the client
  /// fetched outputs (back-pressure, actors/cluster/replay_session.hpp).
  bool taken = true;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, replay_ack& x) {
  return f(x.session, x.seq, x.offset, x.taken);
}

/// A page of a replay's outputs, the answer to
/// `(replay_atom, fetch_atom, session, next)`: rows `first`, `first + 1`, ...
struct replay_page {
  uint64_t session = 0;
  /// The index of `rows.front()` among the replay's outputs: the `next` of
  /// the request.
  uint64_t first = 0;
  /// In a table that names each node once (runtime/core/row_table.hpp);
  /// the client checks `rows.valid()` before it reads them.
  row_table rows;
  /// The member's output buffer is still full: fetch again before sending
  /// the next chunk.
  bool full = false;
  /// The replay is over and `rows` are its last outputs.
  bool end = false;
  /// The most outputs the member held at once so far (at most its buffer's
  /// cap plus the outputs of one input piece).
  uint64_t held_most = 0;
  /// With `end`: the input's samples the replay's source accepted and
  /// rejected (by reason), and the first malformed lines.
  ingest_counts samples;
  std::vector<uint64_t> malformed_lines;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, replay_page& x) {
  return f(x.session, x.first, x.rows, x.full, x.end, x.held_most, x.samples,
           x.malformed_lines);
}

/// The key of a node in batches: a 64-bit hash of its name (FNV-1a). A graph
/// in which two inputs of one node share a key is rejected at deployment.
uint64_t node_key(const std::string& name);

} // namespace shoal

CAF_BEGIN_TYPE_ID_BLOCK(shoal, caf::first_custom_type_id)

CAF_ADD_TYPE_ID(shoal, (shoal::point))
CAF_ADD_TYPE_ID(shoal, (std::vector<shoal::point>))
CAF_ADD_TYPE_ID(shoal, (shoal::batch))
CAF_ADD_TYPE_ID(shoal, (shoal::node_counts))
CAF_ADD_TYPE_ID(shoal, (shoal::ingest_counts))
CAF_ADD_TYPE_ID(shoal, (shoal::node_spec))
CAF_ADD_TYPE_ID(shoal, (shoal::graph_spec))
CAF_ADD_TYPE_ID(shoal, (std::vector<uint64_t>))
CAF_ADD_TYPE_ID(shoal, (std::vector<std::string>))
CAF_ADD_TYPE_ID(shoal, (shoal::member_info))
CAF_ADD_TYPE_ID(shoal, (std::vector<shoal::member_info>))
CAF_ADD_TYPE_ID(shoal, (shoal::output_row))
CAF_ADD_TYPE_ID(shoal, (std::vector<shoal::output_row>))
CAF_ADD_TYPE_ID(shoal, (shoal::member_work))

CAF_ADD_ATOM(shoal, shoal, need_atom, "need")
CAF_ADD_ATOM(shoal, shoal, attach_atom, "attach")
CAF_ADD_ATOM(shoal, shoal, wire_atom, "wire")
CAF_ADD_ATOM(shoal, shoal, report_atom, "report")
CAF_ADD_ATOM(shoal, shoal, stats_atom, "stats")
CAF_ADD_ATOM(shoal, shoal, start_atom, "start")
CAF_ADD_ATOM(shoal, shoal, done_atom, "done")
CAF_ADD_ATOM(shoal, shoal, subscribed_atom, "subscribed")
CAF_ADD_ATOM(shoal, shoal, latency_atom, "latency")
CAF_ADD_ATOM(shoal, shoal, single_atom, "single")
CAF_ADD_ATOM(shoal, shoal, frontier_atom, "frontier")
CAF_ADD_ATOM(shoal, shoal, join_atom, "join")
CAF_ADD_ATOM(shoal, shoal, members_atom, "members")
CAF_ADD_ATOM(shoal, shoal, heartbeat_atom, "heartbeat")
CAF_ADD_ATOM(shoal, shoal, left_atom, "left")
CAF_ADD_ATOM(shoal, shoal, link_atom, "link")
CAF_ADD_ATOM(shoal, shoal, apply_atom, "apply")
CAF_ADD_ATOM(shoal, shoal, deploy_atom, "deploy")
CAF_ADD_ATOM(shoal, shoal, replay_atom, "replay")
CAF_ADD_ATOM(shoal, shoal, graph_atom, "graph")
CAF_ADD_TYPE_ID(shoal, (std::vector<shoal::node_counts>))
CAF_ADD_TYPE_ID(shoal, (std::vector<shoal::ingest_counts>))
CAF_ADD_ATOM(shoal, shoal, status_atom, "status")
CAF_ADD_ATOM(shoal, shoal, tail_atom, "tail")
CAF_ADD_ATOM(shoal, shoal, rewire_atom, "rewire")
CAF_ADD_ATOM(shoal, shoal, detach_atom, "detach")
CAF_ADD_ATOM(shoal, shoal, sync_atom, "sync")
CAF_ADD_ATOM(shoal, shoal, until_atom, "until")
CAF_ADD_ATOM(shoal, shoal, rebind_atom, "rebind")
CAF_ADD_ATOM(shoal, shoal, remove_atom, "remove")
CAF_ADD_ATOM(shoal, shoal, load_atom, "load")
CAF_ADD_TYPE_ID(shoal, (shoal::handover))
CAF_ADD_ATOM(shoal, shoal, move_atom, "move")
CAF_ADD_ATOM(shoal, shoal, swap_atom, "swap")
CAF_ADD_ATOM(shoal, shoal, swapped_atom, "swapped")
CAF_ADD_ATOM(shoal, shoal, restore_atom, "restore")
CAF_ADD_ATOM(shoal, shoal, moved_atom, "moved")
CAF_ADD_TYPE_ID(shoal, (std::vector<shoal::batch>))
CAF_ADD_ATOM(shoal, shoal, src_need_atom, "src_need")
CAF_ADD_TYPE_ID(shoal, (shoal::directory))
CAF_ADD_ATOM(shoal, shoal, ready_atom, "ready")
CAF_ADD_TYPE_ID(shoal, (shoal::replay_chunk))
CAF_ADD_TYPE_ID(shoal, (shoal::replay_ack))
CAF_ADD_ATOM(shoal, shoal, chunk_atom, "chunk")
CAF_ADD_TYPE_ID(shoal, (shoal::replay_page))
CAF_ADD_ATOM(shoal, shoal, fetch_atom, "fetch")
CAF_ADD_ATOM(shoal, shoal, leave_atom, "leave")
CAF_ADD_ATOM(shoal, shoal, ckpt_atom, "ckpt")
CAF_ADD_ATOM(shoal, shoal, mark_atom, "mark")
CAF_ADD_ATOM(shoal, shoal, plan_atom, "plan")
CAF_ADD_ATOM(shoal, shoal, work_atom, "work")
CAF_ADD_TYPE_ID(shoal, (shoal::reject_log))
CAF_ADD_ATOM(shoal, shoal, reject_atom, "reject")
CAF_ADD_ATOM(shoal, shoal, pace_atom, "pace")
CAF_ADD_TYPE_ID(shoal, (shoal::sensor_feed))
CAF_END_TYPE_ID_BLOCK(shoal)

namespace shoal {

/// Registers Shoal's message types and error category with `cfg`.
void register_types(caf::actor_system_config& cfg);

} // namespace shoal
