// The commands of `shoal-bench` (issue 4): argument parsing and the runs.
// `apps/shoal-bench/main.cpp` only dispatches to these.
//
//   shoal-bench [options]          the standard workload: scale at the graph's
//                                  size, then limit and replay, and a table
//   shoal-bench limit [options]    the reference evaluator over the samples
//   shoal-bench replay [options]   limit, then the actor runtime over the
//                                  same samples, and whether they agree
//   shoal-bench live [options]     the actor runtime fed at --rate samples/s
//                                  on the wall clock for --duration s; latency
//                                  from a sample's arrival to its outputs
//   shoal-bench scale [--nodes N]  load, memory and shutdown of N nodes (the
//                                  sensor count follows from N)
//
// Progress goes to stderr; the table (or with `--json` one JSON object) to
// stdout. Exit codes: 0 ok; 1 a run failed, replay and limit disagreed, or
// the sink could not be wired; 2 bad usage. What is timed: docs/performance.md.

#pragma once

#include <cstddef>
#include <string>

#include "caf/expected.hpp"

#include "actors/deploy/cell_groups.hpp"
#include "apps/shoal-bench/synthetic_graph.hpp"

namespace shoal {

struct bench_args {
  /// "" (the standard workload), "limit", "replay", "live" or "scale".
  std::string command;
  synthetic_options graph;
  /// Samples of the limit and replay runs.
  size_t samples = 200'000;
  /// Their total rate in samples per second of event time.
  double rate = 100'000;
  /// Seconds of the live run, its first second of warm-up included.
  double duration = 10;
  /// Allowed lateness of the live run's source.
  int64_t lateness_ns = 0;
  /// Scheduler threads (0: one per core).
  size_t threads = 0;
  /// The live run asks for watermarks edge by edge instead of tracking
  /// progress.
  bool edge_watermarks = false;
  /// Every node in its own actor instead of cells (deploy_options::fuse).
  bool one_actor_per_node = false;
  /// Cells in this many actors (deploy_options::cell_groups).
  size_t cell_groups = auto_cell_groups;
  /// Nodes of the `scale` run.
  size_t nodes = 1'000'000;
  bool json = false;
  bool help = false;
  bool version = false;
};

/// Parses the command line; errors name the offending argument.
caf::expected<bench_args> parse_bench_args(int argc, char** argv);

/// The usage text.
const char* bench_usage();

/// Runs what `args` asks for; returns the exit code.
int bench_command(const bench_args& args);

} // namespace shoal
