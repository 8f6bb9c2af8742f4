// The `scale` run of shoal-bench: how long a big graph takes to load and to
// shut down, and how much memory it holds per node.
//
// `bench_scale` builds the synthetic graph of `opts` (building and
// validating it, every node's function made once as `load_graph` does),
// starts an actor system, deploys the graph (spawns and wires every actor,
// plus a sink subscribed to every emitting node, as a replay does), then
// stops every actor and destroys the system. Resident memory is read from
// /proc/self/statm before the graph is built, after, and once it is
// deployed; the per-node figure charges the graph spec (which a host keeps
// for status) and the actors to the nodes. Run it before other work in the
// process, or freed memory that the allocator reuses makes the figure look
// smaller than it is. Call from one thread at a time.

#pragma once

#include <cstddef>
#include <cstdint>

#include "caf/expected.hpp"

#include "runtime/bench/synthetic_graph.hpp"

namespace shoal {

struct scale_figures {
  size_t nodes = 0;
  /// Building and validating the graph spec.
  double build_s = 0;
  /// Starting the actor system, spawning and wiring every graph node.
  double deploy_s = 0;
  /// Spawning the sink and subscribing it to every emitting node.
  double sink_s = 0;
  /// Stopping every actor and destroying the actor system.
  double shutdown_s = 0;
  /// Resident bytes before the graph was built, after, and once deployed.
  int64_t rss_start = 0;
  int64_t rss_built = 0;
  int64_t rss_deployed = 0;

  double load_s() const {
    return build_s + deploy_s + sink_s;
  }

  /// Resident bytes the running graph costs per node, spec included.
  double rss_bytes_per_node() const;

  /// The part of it the graph spec holds.
  double spec_bytes_per_node() const;
};

/// Loads, deploys and stops the graph of `opts` on `threads` scheduler
/// threads (0: one per core).
caf::expected<scale_figures> bench_scale(const synthetic_options& opts,
                                         size_t threads);

/// The resident set size of this process in bytes (0 if unknown).
int64_t resident_bytes();

} // namespace shoal
