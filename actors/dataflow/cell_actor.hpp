// The actor of one cell: sensors and the features and models placed with
// them.
//
// A single-process deployment (actors/deploy/deployment.hpp) puts every
// feature and model in the cell of its first trigger input, and by default
// runs the chains of many sensors as one cell (a group,
// `deploy_options::cell_groups`: four per scheduler thread), so that a join
// of sensors of one group is a function call and a tick of live samples
// costs one message per group instead of one per sensor (docs/performance.md,
// "Cell groups and the live path"); with `cell_groups` 0 a cell is one
// sensor's chain, up to `cell_capacity` nodes. Inside a cell an edge is
// a function call: a message to the cell (samples from a source, a batch
// from another cell, a frontier notice) is carried through the cell's nodes
// in topological order within that one message, each node's join and
// function running exactly as in a node actor
// (actors/dataflow/node_core.hpp). Edges between cells are ordinary
// subscriptions: every node of a cell has its own publisher and key, so a
// subscriber sees the same batches as from a node actor, and the cell
// subscribes once per outside input node. Like operator chaining in Flink,
// this removes a message and an actor activation per internal edge and an
// actor per node. Cluster members run one actor per node, so that nodes can
// be moved and replaced one at a time (actors/dataflow/node_actor.hpp).
//
// Messages handled (the data edge: actors/dataflow/data_edge.hpp):
//   (attach_atom, actor source, uint64_t key, uint32_t index) -> ok_atom
//                               `index` is the sensor's place in the
//                               deployment's sensor directory; a cell of
//                               one sensor takes any index
//   (detach_atom, uint64_t key, int64_t wm)    for every sensor of the cell
//   (wire_atom, std::vector<std::string> names, std::vector<caf::actor> xs)
//       -> ok_atom once subscribed to every input outside the cell, found
//          by name (`names[i]` runs as `xs[i]`); an error naming a missing
//          input otherwise
//   batch, std::vector<batch>   from an outside input (several at once from
//                               another cell), or from an attached source
//                               to a cell of one sensor
//   sensor_feed                 from a source: batches for several sensors
//                               of the cell, named by directory index
//   (need_atom, int64_t ts)     from a subscriber: answered for each node it
//                               subscribed to
//   (frontier_atom, uint32_t band, int64_t F)
//                               band `band` reached F
//                               (actors/dataflow/progress.hpp); the cell
//                               registers once per band, and applies a
//                               frontier to a node that did not wait for it
//                               when the node next runs
//   (subscribe_atom, actor, uint32_t band, uint64_t key)
//                               -> (subscribed_atom, key, point last, wm)
//                               for the node of the cell with that key, or
//                               an error naming the key
//   (subscribed_atom, key, point last, int64_t wm)   from an outside input
//   (unsubscribe_atom, actor)   from every node of the cell
// At end of stream (every sensor and node of the cell at `wm_end`) the cell
// sends `(report_atom, name, ingest_counts)` for each sensor and
// `(report_atom, name, node_counts)` for each node to its monitor, and
// stops.

#pragma once

#include <algorithm>
#include <functional>
#include <memory>
#include <queue>
#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/stateful_actor.hpp"

#include "actors/dataflow/actor_index.hpp"
#include "actors/dataflow/node_core.hpp"
#include "actors/dataflow/progress.hpp"
#include "actors/dataflow/publisher.hpp"
#include "actors/dataflow/sensor_core.hpp"
#include "actors/dataflow/wiring.hpp"
#include "runtime/core/metrics.hpp"
#include "runtime/functions/fn_factory.hpp"
#include "runtime/graph/graph_spec.hpp"

namespace shoal {

/// The most nodes a deployment puts in the cell of one sensor, sensor
/// included, without cell groups: a larger cell would serialize work that
/// other threads could share.
constexpr size_t cell_capacity = 64;

/// A feature or model inside a cell.
struct cell_node {
  /// Input `i` comes from node `core.inputs[i].from` of the cell, from
  /// sensor `j` of the cell (`sensor_ref(j)`), or from outside
  /// (`from_outside`).
  static constexpr uint32_t from_outside = UINT32_MAX;
  static constexpr uint32_t sensor_flag = 0x8000'0000u;

  static constexpr uint32_t sensor_ref(uint32_t j) {
    return sensor_flag | j;
  }

  static constexpr bool is_sensor(uint32_t from) {
    return from != from_outside && (from & sensor_flag) != 0;
  }

  explicit cell_node(node_core c) : core(std::move(c)) {
    // nop
  }

  node_core core;
  /// The outputs of the message being handled, for the nodes after it.
  std::vector<point> out;
  /// The band frontier its covered inputs were brought to.
  int64_t frontier = wm_none;
};

/// A sensor inside a cell.
struct cell_sensor {
  cell_sensor(std::string n, uint32_t at, publisher p)
    : name(std::move(n)), index(at), pub(std::move(p)) {
    // nop
  }

  std::string name;
  /// Its place in the deployment's sensor directory.
  uint32_t index = 0;
  publisher pub;
  sensor_core core;
  /// The samples accepted in the message being handled.
  std::vector<point> accepted;
  /// The output watermark as of the last run.
  int64_t wm = wm_none;
  /// A subscriber asked for a watermark.
  bool asked = true;
  /// It is in `cell_state::due`: something reached it since it last ran.
  bool due = false;
};

/// A set of a cell's nodes, by index, taken out lowest first: a node's
/// consumers come after it, so a run that adds them while it takes nodes
/// out keeps the topological order.
class node_set {
public:
  void resize(size_t n) {
    words_.assign((n + 63) / 64, 0);
    low_ = words_.size();
  }

  void insert(uint32_t k) {
    auto w = k / 64;
    words_[w] |= uint64_t{1} << (k % 64);
    low_ = std::min(low_, size_t{w});
  }

  /// The lowest member, or `none` if there is none; stays a member.
  static constexpr uint32_t none = UINT32_MAX;

  uint32_t peek() {
    while (low_ < words_.size() && words_[low_] == 0)
      ++low_;
    if (low_ == words_.size())
      return none;
    return static_cast<uint32_t>(low_ * 64 + __builtin_ctzll(words_[low_]));
  }

  /// The member after `k` (which must be one), or `none`.
  uint32_t after(uint32_t k) const {
    auto w = static_cast<size_t>(k / 64);
    auto rest = (k % 64 == 63) ? 0 : words_[w] & (~uint64_t{0} << (k % 64 + 1));
    while (rest == 0) {
      if (++w == words_.size())
        return none;
      rest = words_[w];
    }
    return static_cast<uint32_t>(w * 64 + __builtin_ctzll(rest));
  }

  /// Takes the lowest member out into `k`; false if there is none.
  bool pop(uint32_t& k) {
    while (low_ < words_.size() && words_[low_] == 0)
      ++low_;
    if (low_ == words_.size())
      return false;
    auto& w = words_[low_];
    k = static_cast<uint32_t>(low_ * 64 + __builtin_ctzll(w));
    w &= w - 1;
    return true;
  }

private:
  std::vector<uint64_t> words_;
  /// No member is below word `low_`.
  size_t low_ = 0;
};

/// A map from keys to a cell's entries (nodes, sensors, routes), filled
/// once: open addressing in one vector, a probe or two per lookup (a
/// binary search over the thousands of routes of a cell group took a cache
/// miss per step), and a fraction of a hash map's size for the many small
/// cells.
class key_table {
public:
  static constexpr uint32_t npos = UINT32_MAX;

  void add(uint64_t key, uint32_t value) {
    slots_.emplace_back(key, value);
  }

  /// Call once after the last `add`: at most three quarters full.
  void seal() {
    auto items = std::move(slots_);
    size_t n = 4;
    while (n * 3 < items.size() * 4)
      n *= 2;
    slots_.assign(n, {0, npos});
    for (auto& [key, value] : items) {
      auto i = slot_of(key);
      while (slots_[i].second != npos)
        i = (i + 1) & (slots_.size() - 1);
      slots_[i] = {key, value};
    }
  }

  uint32_t find(uint64_t key) const {
    if (slots_.empty())
      return npos;
    for (auto i = slot_of(key); slots_[i].second != npos;
         i = (i + 1) & (slots_.size() - 1))
      if (slots_[i].first == key)
        return slots_[i].second;
    return npos;
  }

private:
  size_t slot_of(uint64_t key) const {
    return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> 32)
           & (slots_.size() - 1);
  }

  std::vector<std::pair<uint64_t, uint32_t>> slots_;
};

/// A subscription of the cell to a node outside it, and the inputs it feeds.
struct cell_route {
  caf::actor handle;
  uint64_t key = 0;
  /// The band the subscription counts batches in: the lowest of the nodes
  /// it feeds.
  uint32_t band = progress_tracker::no_band;
  /// (node, input) pairs it feeds.
  std::vector<std::pair<uint32_t, uint32_t>> feeds;
};

/// An actor subscribed to nodes of the cell, the nodes (or
/// `cell_node::sensor_ref`s) it subscribed to, and the largest watermark it
/// asked for: a need from it registers with every one of them, once.
struct cell_subscriber {
  caf::actor handle;
  std::vector<uint32_t> targets;
  int64_t asked = wm_none;
};

struct cell_state {
  static inline const char* name = "shoal.cell";

  /// "sensor 's'", or "sensors 's' and N more", for errors.
  std::string label;
  std::shared_ptr<progress_tracker> tracker;
  /// The live counters (`cell_spec::live`).
  metrics* live = nullptr;
  std::vector<cell_sensor> sensors;
  /// The sensors something reached since they last ran.
  std::vector<uint32_t> due;
  /// The cell's features and models in topological order.
  std::vector<cell_node> nodes;
  /// The nodes something reached since they last ran (a batch from
  /// outside, a frontier, a subscriber's request).
  node_set dirty;
  /// The nodes that ran in the message being handled.
  std::vector<uint32_t> ran;
  /// Per node: its output watermark as of its last run, and the run it
  /// last ran in (dense, so that a node reads its inputs' watermarks without
  /// touching their nodes); `runs` counts the runs.
  std::vector<int64_t> wms;
  std::vector<uint32_t> ran_in;
  uint32_t runs = 0;
  /// Who takes each producer's outputs inside the cell (all after it): the
  /// consumers of node `k` are `consumer_of[consumer_at[k] ..
  /// consumer_at[k + 1])`, those of sensor `j` follow at `nodes.size() + j`.
  /// A run visits only the nodes that something reached.
  /// A consumer's entry has `covered_flag` set when every input it takes
  /// from that producer is covered by its band frontier.
  static constexpr uint32_t covered_flag = 0x8000'0000u;
  std::vector<uint32_t> consumer_at;
  std::vector<uint32_t> consumer_of;
  /// Nodes (index) and sensors (`sensor_ref`) by key.
  key_table by_key;
  /// Sensors by directory index (cells of several sensors).
  key_table by_index;
  std::vector<cell_route> routes;
  key_table route_at;
  std::vector<cell_subscriber> subscribers;
  actor_index subscriber_at;
  /// Per band: the frontier last announced, the smallest timestamp the cell
  /// waits for with the tracker (`wm_end`: none), and the nodes that wait,
  /// as (timestamp, node) with the earliest on top.
  using wait_entry = std::pair<int64_t, uint32_t>;
  std::vector<int64_t> band_frontier;
  std::vector<int64_t> band_wait;
  std::vector<std::priority_queue<wait_entry, std::vector<wait_entry>,
                                  std::greater<wait_entry>>>
    band_waiters;
  /// Sensors and nodes at `wm_end`.
  size_t ended = 0;
  /// The batches of the message being handled, one message per receiver.
  outbox box;
  input_wiring wiring;
  caf::actor monitor;
  bool reported = false;
};

/// The nodes of a cell and where they sit in a deployment that tracks
/// progress. The graph must stay alive until the cell started (answered its
/// wiring), so that spawning a million nodes copies no specs.
struct cell_spec {
  const graph_spec* graph = nullptr;
  /// The sensors' indices in `graph->nodes`, and their places in the
  /// deployment's sensor directory.
  std::vector<size_t> sensors;
  std::vector<uint32_t> directory;
  /// The indices of the features and models whose first trigger input is
  /// one of the sensors or an earlier entry, in topological order.
  std::vector<size_t> nodes;
  /// Per node, per input: where it comes from (see `cell_node`).
  std::vector<std::vector<uint32_t>> from;
  /// Each node's band and its inputs' bands (empty without a tracker).
  std::vector<uint32_t> bands;
  std::vector<std::vector<uint32_t>> input_bands;
  /// What the nodes' functions are made with, and the live counters; the
  /// counters must outlive the cell.
  fn_context fns;
  metrics* live = &process_metrics();
};

/// Runs cell `spec`; `monitor` gets the reports; `tracker` may be null.
caf::behavior cell_actor(caf::stateful_actor<cell_state>* self, cell_spec spec,
                         caf::actor monitor,
                         std::shared_ptr<progress_tracker> tracker);

} // namespace shoal
