// The `scale` run of shoal-bench: how long a big graph takes to load and to
// shut down, and how much memory it holds per node.
//
// `bench_scale` builds the synthetic graph of `opts` (building and
// validating it, every node's function made once as `load_graph` does),
// starts an actor system, deploys the graph (spawns and wires every node's
// actor), adds a sink subscribed to every emitting node (as a replay does),
// then stops every actor and destroys the system. Resident memory is read
// from /proc/self/statm before the graph is built, after, and once it is
// deployed with its sink; the per-node figure charges the graph spec (which
// a host keeps for status) and the actors to the nodes. Run it before other
// work in the process, or freed memory that the allocator reuses makes the
// figure look smaller than it is.
//
// If the sink cannot be wired (`deploy_sink` gives up after two minutes
// without an answer), the figures up to that point are still returned, with
// `sink_error` set; the sink actor is then left behind when the actor system
// goes. Call from one thread at a time.

#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "caf/expected.hpp"

#include "actors/deploy/cell_groups.hpp"
#include "apps/shoal-bench/synthetic_graph.hpp"

namespace shoal {

struct scale_figures {
  size_t nodes = 0;
  /// Actors spawned for the graph (fewer than nodes when cells are fused).
  size_t actors = 0;
  /// Building and validating the graph spec.
  double build_s = 0;
  /// Starting the actor system, spawning and wiring every graph node.
  double deploy_s = 0;
  /// Spawning the sink and subscribing it to every emitting node.
  double sink_s = 0;
  /// Why the sink could not be wired; empty if it was.
  std::string sink_error;
  /// Stopping every actor and destroying the actor system.
  double shutdown_s = 0;
  /// Resident bytes before the graph was built, after, and once deployed.
  int64_t rss_start = 0;
  int64_t rss_built = 0;
  int64_t rss_deployed = 0;

  /// Whether every step succeeded, so that `load_s` means something.
  bool complete() const {
    return sink_error.empty();
  }

  double load_s() const {
    return build_s + deploy_s + sink_s;
  }

  /// Resident bytes the running graph costs per node, spec included.
  double rss_bytes_per_node() const;

  /// The part of it the graph spec holds.
  double spec_bytes_per_node() const;
};

/// Hears about each step as it starts.
using scale_progress = std::function<void(const std::string& step)>;

/// Loads, deploys and stops the graph of `opts` on `threads` scheduler
/// threads (0: one per core), its cells in `cell_groups` actors
/// (deploy_options::cell_groups).
caf::expected<scale_figures> bench_scale(const synthetic_options& opts,
                                         size_t threads, bool fuse,
                                         const scale_progress& progress = {},
                                         size_t cell_groups = auto_cell_groups);

/// The resident set size of this process in bytes (0 if unknown).
int64_t resident_bytes();

} // namespace shoal
