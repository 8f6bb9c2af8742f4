// The two throughput runs of shoal-bench over the same graph and samples.
//
// `bench_limit` runs the single-threaded reference evaluator: the speed
// limit of the semantics without actors. `bench_replay` runs the actor
// runtime (`run_replay`) over the same samples written to a CSV file. Both
// collect their outputs in an `output_log` through the same kind of sink (a
// name look-up and a 24-byte row per output), so the comparison is fair and
// `same_run` can check that they agree. Each times only the run itself: not
// building the graph or the functions, not generating samples or writing
// the file, not starting or stopping the actor system. The replay's time
// includes reading and parsing its CSV, which is part of what the runtime
// does; the reference evaluator is offered samples from memory. Call from
// one thread at a time.

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "caf/expected.hpp"

#include "actors/deploy/cell_groups.hpp"
#include "apps/shoal-bench/output_log.hpp"
#include "apps/shoal-bench/synthetic_samples.hpp"
#include "runtime/core/counters.hpp"
#include "runtime/graph/graph_spec.hpp"

namespace shoal {

/// What one run did, and how long it took.
struct run_figures {
  /// Samples accepted.
  uint64_t samples = 0;
  uint64_t firings = 0;
  uint64_t outputs = 0;
  uint64_t errors = 0;
  /// Wall time of the run alone.
  double seconds = 0;
  /// Counters of each feature and model, in graph order.
  std::vector<node_counts> nodes;
  /// The emitted outputs.
  std::shared_ptr<output_log> log;

  double firings_per_s() const {
    return seconds > 0 ? static_cast<double>(firings) / seconds : 0;
  }
};

/// Offers `samples` (sensors named by `gen`) in order to a reference
/// evaluator of `g` (validated), then ends the stream.
caf::expected<run_figures>
bench_limit(const graph_spec& g, const sample_generator& gen,
            const std::vector<synthetic_sample>& samples);

/// Replays the input CSV at `csv_path` through `g` with the actor runtime on
/// `threads` scheduler threads (0: one per core), with cells fused if
/// `fuse`.
caf::expected<run_figures> bench_replay(const graph_spec& g,
                                        const std::string& csv_path,
                                        size_t threads, bool fuse = true,
                                        size_t cell_groups = auto_cell_groups);

/// Whether `x` and `y` accepted the same samples, produced the same outputs
/// (in any order) and the same firings, outputs and errors per node. If not,
/// `why` says what differed first. Sorts both logs.
bool same_run(run_figures& x, run_figures& y, std::string& why);

} // namespace shoal
