// Putting a validated graph into an actor system on this process.
//
// `deploy` spawns the graph's actors, wires every `needs` edge between
// actors as a subscription, and returns when all are wired. Every feature
// and model joins the cell of its first trigger input
// (actors/dataflow/cell_actor.hpp), and the sensors' cells run in a few
// cell-group actors (`deploy_options::cell_groups`); with `cell_groups` 0
// each sensor's cell is its own actor of at most `cell_capacity` nodes and
// the rest run as node actors (`deploy_options::fuse` false: one actor per
// node).
// `deploy_sink` adds a sink actor subscribed to every emitting node;
// `attach_source` attaches a source to every sensor. All three block the
// calling scoped_actor until the actors confirmed. Reports and end-of-stream
// notices go to `monitor`.

#pragma once

#include <memory>
#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/expected.hpp"
#include "caf/scoped_actor.hpp"

#include "actors/dataflow/progress.hpp"
#include "actors/dataflow/sink_actor.hpp"
#include "actors/deploy/cell_groups.hpp"
#include "runtime/core/metrics.hpp"
#include "runtime/functions/fn_factory.hpp"
#include "runtime/graph/graph_spec.hpp"
#include "runtime/io/output_sink.hpp"
#include "runtime/semantics/source_filter.hpp"

namespace shoal {

struct deployment {
  /// The actor of each graph node, indexed like `graph_spec::nodes` (the
  /// nodes of a cell share its actor).
  std::vector<caf::actor> actors;
  /// The sensors' names in directory order.
  std::shared_ptr<const sensor_directory> sensors;
  /// The actor of each sensor, indexed like `sensors`.
  std::vector<caf::actor> sensor_actors;
  /// Number of features and models.
  size_t derived = 0;
  /// Number of actors spawned for the graph.
  size_t spawned = 0;
  /// The sink of the emitting nodes, once `deploy_with_sink` added one.
  caf::actor sink;
  /// The progress tracker of the graph's actors, when deployed with
  /// `track_progress` (live sources register with it).
  std::shared_ptr<progress_tracker> tracker;
};

struct deploy_options {
  /// Count progress so that joins wait for band frontiers instead of asking
  /// for watermarks edge by edge (actors/dataflow/progress.hpp). For graphs fed
  /// by live sources only: every source must register with the tracker.
  bool track_progress = false;
  /// Runs each sensor with the nodes that depend on it alone in one cell
  /// actor; false spawns one actor per node.
  bool fuse = true;
  /// With `fuse`, runs the cells of all sensors in this many actors (cell
  /// groups: the sensors spread round-robin, each group one cell without a
  /// size cap) instead of one actor per sensor's cell; 0 keeps one cell per
  /// sensor of at most `cell_capacity` nodes. Fewer, larger actors send
  /// fewer messages per sample (docs/performance.md, "Cell groups and the live
  /// path"). By default four per scheduler thread, enough for the threads to
  /// share the work.
  size_t cell_groups = auto_cell_groups;
  /// What the nodes' functions are made with (the process's model cache
  /// unless a caller hands in another).
  fn_context fns;
  /// The live counters the graph's actors add to; it must outlive them.
  metrics* live = &process_metrics();
};

/// Spawns and wires `g`, which must be validated.
caf::expected<deployment> deploy(caf::scoped_actor& self, const graph_spec& g,
                                 const caf::actor& monitor,
                                 deploy_options opts = {});

/// Spawns a sink that writes the outputs of every emitting node of `g` to
/// `out`. Returns it wired.
caf::expected<caf::actor> deploy_sink(caf::scoped_actor& self,
                                      const graph_spec& g, const deployment& d,
                                      std::shared_ptr<output_sink> out,
                                      const caf::actor& monitor,
                                      alert_rule alert = {});

/// `deploy` followed by `deploy_sink`: the graph with its sink, wired.
caf::expected<deployment>
deploy_with_sink(caf::scoped_actor& self, const graph_spec& g,
                 std::shared_ptr<output_sink> out, const caf::actor& monitor,
                 alert_rule alert = {}, deploy_options opts = {});

/// Stops `source` (if any), the sink of `d` (if any) and every actor of `d`:
/// a deployment that does not reach end of stream must be stopped so that
/// the actor system does not wait for it forever.
void stop_deployment(caf::scoped_actor& self, const deployment& d,
                     const caf::actor& source = {});

/// Attaches `source` to every sensor of `d` under `key`; sensor `i` learns
/// index `i` for its watermark requests.
caf::error attach_source(caf::scoped_actor& self, const deployment& d,
                         const caf::actor& source, uint64_t key);

} // namespace shoal
