// The actor of one cell: a sensor and the features and models placed with
// it.
//
// A single-process deployment (actors/deploy/deployment.hpp) puts every
// feature and model in the cell of its first trigger input, up to
// `cell_capacity` nodes: for a plant of many sensors, a cell is one
// sensor's chain of features and models. Inside a cell an edge is a
// function call: a message to the cell (samples from a source, a batch from
// another cell, a frontier notice) is carried through the cell's nodes in
// topological order within that one message, each node's join and function
// running exactly as in a node actor (actors/dataflow/node_core.hpp). Edges
// between cells are ordinary subscriptions: every node of a cell has its own
// publisher and key, so a subscriber sees the same batches as from a node
// actor, and a node of the cell subscribes once per outside input node.
// Like operator chaining in Flink, this removes a message and an actor
// activation per internal edge and an actor per node (docs/performance.md).
// Cluster members run one actor per node, so that nodes can be moved and
// replaced one at a time (actors/dataflow/node_actor.hpp).
//
// Messages handled (the data edge: actors/dataflow/data_edge.hpp):
//   (attach_atom, actor source, uint64_t key, uint32_t index) -> ok_atom
//   (detach_atom, uint64_t key, int64_t wm)    as for a sensor actor
//   (wire_atom, std::vector<std::string> names, std::vector<caf::actor> xs)
//       -> ok_atom once subscribed to every input outside the cell, found
//          by name (`names[i]` runs as `xs[i]`); an error naming a missing
//          input otherwise
//   batch, std::vector<batch>   from an attached source or an outside input
//                               (several at once from another cell)
//   (need_atom, int64_t ts)     from a subscriber of any node of the cell:
//                               answered for each node it subscribed to
//   (frontier_atom, uint32_t band, int64_t F)
//                               band `band` reached F
//                               (actors/dataflow/progress.hpp)
//   (subscribe_atom, actor, uint32_t band, uint64_t key)
//                               -> (subscribed_atom, key, point last, wm)
//                               for the node of the cell with that key, or
//                               an error naming the key
//   (subscribed_atom, key, point last, int64_t wm)   from an outside input
//   (unsubscribe_atom, actor)   from every node of the cell
// At end of stream (every node of the cell at `wm_end`) the cell sends
// `(report_atom, name, ingest_counts)` for its sensor and
// `(report_atom, name, node_counts)` for each node to its monitor, and
// stops.

#pragma once

#include <memory>
#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/stateful_actor.hpp"

#include "actors/dataflow/node_core.hpp"
#include "actors/dataflow/progress.hpp"
#include "actors/dataflow/publisher.hpp"
#include "actors/dataflow/sensor_core.hpp"
#include "actors/dataflow/wiring.hpp"
#include "runtime/core/metrics.hpp"
#include "runtime/functions/fn_factory.hpp"
#include "runtime/graph/graph_spec.hpp"

namespace shoal {

/// The most nodes a deployment puts in one cell, sensor included: a larger
/// cell would serialize work that other threads could share.
constexpr size_t cell_capacity = 64;

/// A feature or model inside a cell.
struct cell_node {
  /// Input `i` comes from the sensor (`from_sensor`), from node
  /// `core.inputs[i].from` of the cell, or from outside (`from_outside`).
  static constexpr uint32_t from_sensor = UINT32_MAX - 1;
  static constexpr uint32_t from_outside = UINT32_MAX;

  explicit cell_node(node_core c) : core(std::move(c)) {
    // nop
  }

  node_core core;
  /// The outputs of the message being handled, for the nodes after it.
  std::vector<point> out;
  /// The output watermark as of the last run.
  int64_t wm = wm_none;
  /// The node produced outputs or moved its watermark in this run.
  bool moved = false;
};

/// A set of a cell's nodes, by index: a cell holds at most 64.
using node_mask = uint64_t;

inline node_mask node_bit(uint32_t k) {
  return node_mask{1} << k;
}

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

struct cell_state {
  static inline const char* name = "shoal.cell";

  std::string sensor;
  std::shared_ptr<progress_tracker> tracker;
  /// The live counters (`cell_spec::live`).
  metrics* live = nullptr;
  /// The sensor's publisher, sources, gate and counters.
  std::unique_ptr<publisher> pub;
  sensor_core core;
  /// The samples accepted in the message being handled.
  std::vector<point> accepted;
  /// The sensor's watermark as of the last run.
  int64_t sensor_wm = wm_none;
  /// A subscriber asked the sensor for a watermark.
  bool sensor_dirty = true;
  /// The cell's features and models in topological order.
  std::vector<cell_node> nodes;
  /// The nodes something reached since they last ran (a batch from
  /// outside, a frontier, a subscriber's request).
  node_mask dirty = 0;
  /// Per node, the nodes of the cell that take its outputs (all after it),
  /// and those that take the sensor's: a run visits only the nodes that
  /// something reached, not all of the cell's (docs/performance.md).
  std::vector<node_mask> consumers;
  node_mask sensor_consumers = 0;
  std::vector<cell_route> routes;
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
  /// The sensor's index in `graph->nodes`.
  size_t sensor = 0;
  /// The indices of the features and models whose first trigger input is
  /// the sensor or an earlier entry, in topological order.
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
