// Running a graph over a file with the actor runtime (SPEC section 6,
// `shoal-node --graph G --replay IN --out OUT`).
//
// `run_replay` starts an actor system, deploys the graph, replays the input
// as fast as it can, and returns once every node, the sink and the source
// reached end of stream. The summary is exact (from the actors' own
// counters), so tests compare it with the reference evaluator.

#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "caf/expected.hpp"

#include "actors/deploy/cell_groups.hpp"
#include "actors/deploy/system_config.hpp"
#include "actors/sources/replay_source.hpp"
#include "runtime/core/counters.hpp"
#include "runtime/graph/graph_spec.hpp"
#include "runtime/io/csv.hpp"
#include "runtime/io/output_sink.hpp"

namespace shoal {

struct run_options {
  /// Scheduler threads; 0 means one per core.
  size_t threads = 0;
  replay_options replay;
  /// Fuse cells (deploy_options::fuse).
  bool fuse = true;
  /// Cells in this many actors (deploy_options::cell_groups).
  size_t cell_groups = auto_cell_groups;
};

struct replay_summary {
  /// Accepted: samples that passed every check, sensors included.
  ingest_counts ingest;
  /// Line numbers of the first malformed rows.
  std::vector<uint64_t> malformed_lines;
  /// Counters of every feature and model, in graph order.
  std::vector<std::pair<std::string, node_counts>> nodes;
  /// Rows handed to the output sink.
  uint64_t outputs = 0;
  /// Wall time from the start of the replay to the end of stream.
  double seconds = 0;
};

/// Replays `input` through `g` (validated) and writes emitted outputs to
/// `out`.
caf::expected<replay_summary> run_replay(const graph_spec& g,
                                         std::shared_ptr<sample_reader> input,
                                         std::shared_ptr<output_sink> out,
                                         const run_options& opts);

} // namespace shoal
