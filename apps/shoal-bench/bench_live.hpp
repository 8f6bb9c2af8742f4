// The `live` run of shoal-bench: the actor runtime fed on the wall clock.
//
// `bench_live` deploys a graph, feeds it from a `sample_generator` at its
// rate with wall-clock timestamps (a sample's timestamp is the time it is
// generated, i.e. its arrival) through a live source whose watermark is
// `now - lateness_ns`, and measures at the sink the latency from a sample's
// timestamp to each output it causes. The first `warmup_s` seconds are not
// measured. `single_sensor_nodes` names the nodes that depend on one sensor
// only; their outputs also go to a second histogram. Blocks the calling
// thread for the run plus start and shutdown; call from one thread at a
// time.

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "caf/expected.hpp"

#include "actors/deploy/cell_groups.hpp"
#include "apps/shoal-bench/bench_report.hpp"
#include "apps/shoal-bench/synthetic_samples.hpp"
#include "runtime/graph/graph_spec.hpp"

namespace shoal {

struct live_run_options {
  /// Seconds of the run, warm-up included.
  double duration_s = 10;
  /// Seconds at the start whose outputs are not measured.
  double warmup_s = 1;
  int64_t lateness_ns = 0;
  /// Scheduler threads (0: one per core).
  size_t threads = 0;
  /// Joins wait for band frontiers (actors/dataflow/progress.hpp) instead of
  /// asking for watermarks edge by edge.
  bool track_progress = true;
  /// Fuse cells (deploy_options::fuse).
  bool fuse = true;
  /// Cells in this many actors (deploy_options::cell_groups).
  size_t cell_groups = auto_cell_groups;
};

/// The names of the derived nodes of `g` (validated, topologically ordered)
/// that depend on exactly one sensor, directly or through other nodes.
std::vector<std::string> single_sensor_nodes(const graph_spec& g);

/// Runs `g` live, fed by `gen` (whose sensors must be those of `g`).
caf::expected<live_figures> bench_live(const graph_spec& g,
                                       const sample_generator& gen,
                                       const live_run_options& opts);

} // namespace shoal
