// The actor of one cell: a sensor and the features and models that depend
// on that sensor alone.
//
// Inside a cell every node's inputs are the sensor or other nodes of the
// cell, so all of them advance with the sensor's watermark: a batch of
// samples is admitted (as the sensor actor does, actors/sensor_core.hpp) and
// carried through the cell's nodes in topological order within the same
// message, each node's join and function exactly as a node actor runs them
// (runtime/node_fire.hpp). Nothing is ever held inside a cell between
// messages. Edges into and out of the cell are ordinary subscriptions: each
// node of the cell has its own publisher and key, so subscribers outside
// see the same batches as from a node actor. Like operator chaining in
// Flink, this removes a message and an actor activation per internal edge
// and an actor per node (docs/performance.md). Single-process deployments
// (runtime/host/deployment.hpp) fuse cells; cluster members run one actor
// per node so that nodes can be moved and replaced one at a time.
//
// Messages handled:
//   (attach_atom, actor source, uint64_t key, uint32_t index) -> ok_atom
//   (detach_atom, uint64_t key, int64_t wm)    as for a sensor actor
//   batch                       from an attached source
//   (need_atom, int64_t ts)     from a subscriber of any node of the cell:
//                               answered for each node it subscribed to
//   (subscribe_atom, actor, uint32_t band, uint64_t key)
//                               -> (subscribed_atom, key, point last, wm)
//                               for the node of the cell with that key, or
//                               an error naming the key
//   (unsubscribe_atom, actor)   from every node of the cell
// At end of stream the cell sends `(report_atom, name, ingest_counts)` for
// its sensor and `(report_atom, name, node_counts)` for each node to its
// monitor, and stops. With a progress tracker the cell is in band 0 and
// releases each counted batch once handled.

#pragma once

#include <memory>
#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/stateful_actor.hpp"

#include "actors/progress.hpp"
#include "actors/publisher.hpp"
#include "actors/sensor_core.hpp"
#include "runtime/counters.hpp"
#include "runtime/graph_spec.hpp"
#include "runtime/join_core.hpp"
#include "runtime/node_fn.hpp"

namespace shoal {

/// A feature or model inside a cell.
struct cell_node {
  cell_node(std::string node_name, uint64_t key, node_fn_ptr node_fn,
            std::vector<bool> triggers, progress_tracker* tracker)
    : name(std::move(node_name)),
      fn(std::move(node_fn)),
      join(std::move(triggers)),
      pub(key, tracker) {
    // nop
  }

  std::string name;
  node_fn_ptr fn;
  join_core join;
  /// Per input, in `needs` order: 0 for the sensor, k + 1 for node k of the
  /// cell.
  std::vector<uint32_t> inputs;
  publisher pub;
  node_counts counts;
  /// The outputs of the message being handled, for the nodes after it.
  std::vector<point> out;
};

struct cell_state {
  static inline const char* name = "shoal.cell";

  std::string sensor;
  std::shared_ptr<progress_tracker> tracker;
  /// The sensor's publisher, sources, gate and counters.
  std::unique_ptr<publisher> pub;
  sensor_core core;
  /// The samples accepted in the message being handled.
  std::vector<point> accepted;
  /// The cell's features and models in topological order.
  std::vector<cell_node> nodes;
  caf::actor monitor;
  bool reported = false;
};

/// Runs sensor `sensor` with `nodes` (features and models whose inputs are
/// all the sensor or earlier entries of `nodes`, in topological order);
/// `monitor` gets the reports; `tracker` may be null.
caf::behavior cell_actor(caf::stateful_actor<cell_state>* self,
                         node_spec sensor, std::vector<node_spec> nodes,
                         caf::actor monitor,
                         std::shared_ptr<progress_tracker> tracker);

} // namespace shoal
