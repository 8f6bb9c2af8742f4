// Checkpoints of a member actor (actors/cluster/member_actor.hpp;
// docs/cluster.md, "Checkpoints"): the leader starts a round every
// `checkpoint_interval` (but not before `checkpoint_min_pause` passed since
// the last one ended), and commits it once every member wrote its part.
//
// A round k, from the leader (the live member with the smallest name):
//   1. asks every member `(ckpt_atom, k, copy_host)`: the member asks its
//      replay source to mark the round (on the next chunk it reads,
//      actors/dataflow/checkpoint_marks.hpp; it says where it marked) and
//      asks its graph host for the round
//      (actors/cluster/host_checkpoint.hpp), which answers once its nodes'
//      states are written in its store and in the store of the member
//      after it in name order (`copy_host`, the graph host of that member),
//      so that losing a machine loses no checkpoint; with a replay under
//      way the member also waits until the replay's sink has every output
//      from before the round (the sink's marks), so that a restore from
//      the round loses none in flight. The replay never pauses for a
//      round: what follows a mark waits at each sensor and node until it
//      took its part (Flink's barrier alignment), and the states are
//      written while the replay reads on (the asynchronous phase of a
//      Flink checkpoint);
//   2. once every member answered, sends every member
//      `(ckpt_atom, k, true, meta)`: the round is committed with its
//      metadata (`checkpoint_meta`: where each node's state is and who
//      keeps each member's copy); every member learns the metadata and
//      commits it in its own store;
//   3. a member that fails or does not answer within `round_timeout`, a
//      graph change that begins, or a member that leaves ends the round
//      uncommitted: `(ckpt_atom, k, false, "")`, and every member's
//      sensors and nodes let go of what they hold after their marks of
//      the round (`(ckpt_atom, done_atom, k)` through the graph host).
// Round ids increase across leaders: every member remembers the newest it
// saw, and a leader starts after it (a member whose store committed a
// newer one answers with it instead, and the next round starts after
// that). No round starts while a graph change is under way. Runs in the
// member actor; owns `checkpoint_state`.
//
// Messages handled:
//   (ckpt_atom, caf::tick_atom)               the round timer (to itself)
//   (ckpt_atom, uint64_t k, caf::actor copy_host) -> uint64_t
//       0 once this member's part is written; the member's newer committed
//       round if k is not newer (the leader goes on after it)
//   (ckpt_atom, uint64_t k, bool committed, std::string meta)
//   (ckpt_atom, uint64_t k)                   the replay sink has every
//                                             output before round k
//   (ckpt_atom, uint64_t k, uint64_t offset, std::string position)
//                                             where the replay source
//                                             marked round k
//                                             (actors/cluster/replay_resume.hpp)
//   (ckpt_atom, restore_atom, uint64_t k)     the leader restored every
//                                             node from round k
//   (ckpt_atom, sync_atom, std::vector<std::string> names,
//    std::vector<caf::actor> actors) -> ok_atom
//       during a restore, before the new actors are wired: the replay's
//       sink subscribes to the emitting nodes' new actors
//   (ckpt_atom, caf::get_atom) -> (uint64_t committed round,
//       uint64_t rounds committed here, uint64_t rounds failed here,
//       int64_t microseconds the last one took, std::string why the last
//       one failed, uint64_t nodes failed over, uint64_t of them warm,
//       uint64_t rounds skipped because nothing changed since the last
//       committed one) for shoalctl status and the metrics (only the leader
//       counts rounds)

#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/message_handler.hpp"
#include "caf/response_promise.hpp"

#include "actors/cluster/checkpoint_codec.hpp"
#include "actors/cluster/member_self.hpp"
#include "runtime/graph/graph_spec.hpp"

namespace shoal {

/// How long the leader waits for a member's part of a round.
constexpr std::chrono::seconds round_timeout{15};

/// This member's part of a round under way: its graph host's answer, and
/// (with a replay under way) its replay sink's mark.
struct member_part {
  uint64_t k = 0;
  bool host_done = false;
  bool sink_done = true;
  /// The replay source said where it marked the round.
  bool position_done = true;
  caf::response_promise rp;
};

struct checkpoint_state {
  /// This member's part of the round under way, if any.
  std::shared_ptr<member_part> part;
  /// The newest round id this member started or was asked for.
  uint64_t newest = 0;
  /// Leader: the round under way (0: none) and the members yet to answer.
  uint64_t round = 0;
  size_t pending = 0;
  std::chrono::steady_clock::time_point started;
  /// Leader: when the last round ended (committed or not), for
  /// `checkpoint_min_pause`; unset before the first.
  std::optional<std::chrono::steady_clock::time_point> ended;
  /// Leader: when it last warned that a round took longer than the
  /// interval (`checkpoint_slow`, at most once per `slow_warning_every`).
  std::optional<std::chrono::steady_clock::time_point> warned_slow;
  /// The round under way that this member's replay source was asked to
  /// mark (0: none): a source that starts during it marks it too.
  uint64_t marking = 0;
  /// The latest committed round, learned from the leader, and its
  /// metadata.
  checkpoint_meta meta;
  /// Leader: rounds committed and failed so far, and how long the last
  /// committed one took.
  uint64_t committed_rounds = 0;
  uint64_t failed_rounds = 0;
  std::chrono::microseconds last_took{0};
  /// Why the last round failed, if it did.
  std::string last_failure;
  /// The deployment (`coordinator_state::generation`) whose graph this
  /// member's store holds.
  uint64_t graph_stored = 0;
  /// This member's store holds the placement of `meta` (written only when
  /// it changed).
  bool placement_stored = false;
  /// Leader: what each member's process had done when the last committed
  /// round began, and the deployment then; while nothing changed, no round
  /// is taken (an idle graph costs nothing). The same for the round under
  /// way, and whether the members are being asked.
  std::map<std::string, uint64_t> activity;
  uint64_t activity_generation = 0;
  std::map<std::string, uint64_t> round_activity;
  /// Leader: the members of the round under way and who keeps whose copy.
  std::vector<std::string> round_members;
  std::vector<std::string> round_copies;
  bool probing = false;
  /// Rounds skipped because nothing changed.
  uint64_t skipped_rounds = 0;
  /// A restarted member: the graph of its store's committed checkpoint,
  /// which the leader restores with every node's state once the members
  /// of that checkpoint are back (or `restore_wait` passed), unless a
  /// graph was deployed meanwhile; and when the member started.
  std::optional<graph_spec> saved_graph;
  std::chrono::steady_clock::time_point member_started;
};

/// How long a restarted cluster's leader waits for the members of its
/// checkpoint before it restores the graph without the missing ones.
constexpr std::chrono::seconds restore_wait{10};

/// The owner under which a store keeps the graph of its checkpoints
/// (no member name has a '~').
constexpr const char* graph_owner = "~graph";

/// Where to read the checkpointed states of some nodes: the graph host of
/// the member that has them (`owner`'s own, or the one keeping `owner`'s
/// copy), for round `k`.
struct state_fetch {
  caf::actor host;
  std::string owner;
  uint64_t k = 0;
  std::vector<std::string> names;
};

/// Where the states of `nodes` are in the latest committed checkpoint, as
/// far as a live member keeps them (nodes without one are left out).
std::vector<state_fetch> states_to_fetch(const member_state& st,
                                         const std::vector<std::string>& nodes);

/// The messages above.
caf::message_handler checkpoint_handlers(member_self self);

/// Starts the round timer (when checkpoints are on).
void start_checkpoints(member_self self);

/// A member that starts with a store that committed round `k` with `meta`:
/// it goes on after that round, and keeps the round's graph to restore.
void load_committed(member_self self, uint64_t k, const std::string& meta);

/// Ends the round under way, if any, uncommitted: `why` says why.
void abort_round(member_self self, const std::string& why);

/// The replay's source reported that it read all its input, or its sink
/// that it has every output: this member's part of a round under way
/// stops waiting for what either would have said of it (a source or sink
/// that finished as the round began never hears of the round).
void replay_part_source_done(member_self self);
void replay_part_sink_done(member_self self);

} // namespace shoal
