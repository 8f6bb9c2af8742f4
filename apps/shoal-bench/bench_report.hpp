// What a shoal-bench run measured, and its two renderings: a table for
// people and one JSON object for scripts (`--json`).
//
// Every section is optional: a figure that was not measured is absent, never
// zero. The JSON has the fields issue 4 names (`nodes`, `samples`,
// `firings`, `limit_firings_per_s`, `replay_firings_per_s`,
// `replay_vs_limit`, `outputs_equal`, `rss_bytes_per_node`, `load_s`, ...)
// when their run took place; `live` is the place for the live run's
// `live_rate`, `latency_ms` and `latency_single_ms`. Plain values; the
// functions are pure.

#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

#include "apps/shoal-bench/bench_scale.hpp"
#include "apps/shoal-bench/synthetic_graph.hpp"

namespace shoal {

/// Throughput of one run over the samples.
struct throughput {
  uint64_t samples = 0;
  uint64_t firings = 0;
  uint64_t outputs = 0;
  uint64_t errors = 0;
  double seconds = 0;

  double firings_per_s() const {
    return seconds > 0 ? static_cast<double>(firings) / seconds : 0;
  }
};

/// Latency percentiles of a set of outputs, in milliseconds.
struct latency_ms {
  double p50 = 0;
  double p99 = 0;
  double p999 = 0;
  double max = 0;
};

/// The live run: samples fed at `rate` per second with wall-clock
/// watermarks; latency over all outputs, and over the outputs of nodes that
/// depend on one sensor only.
struct live_figures {
  /// Samples fed per second over the measured window (after the warm-up).
  double rate = 0;
  /// Samples fed in the measured window, and its length.
  uint64_t samples = 0;
  double seconds = 0;
  /// Outputs measured: all, and of the single-sensor nodes.
  uint64_t outputs = 0;
  uint64_t single_outputs = 0;
  /// The source's allowed lateness: its watermark is `now - lateness_ns`.
  int64_t lateness_ns = 0;
  latency_ms all;
  latency_ms single;
};

struct bench_report {
  /// "standard", "limit", "replay", "live" or "scale".
  std::string command;
  size_t threads = 0;
  /// The machine's 1-minute load average when the run started: a figure
  /// taken while other work ran is not comparable.
  double load_average = 0;
  /// The graph of the throughput runs (of the scale run for `scale`).
  synthetic_options graph;
  size_t nodes = 0;
  /// Samples offered, and their total rate in samples/s of event time.
  size_t samples = 0;
  double sample_rate = 0;
  std::optional<throughput> limit;
  std::optional<throughput> replay;
  /// Whether replay and limit agreed; `difference` says where if not.
  std::optional<bool> outputs_equal;
  std::string difference;
  std::optional<scale_figures> scale;
  std::optional<live_figures> live;
};

/// One JSON object, on one line.
std::string to_json(const bench_report& r);

/// A readable table.
void print_table(std::FILE* out, const bench_report& r);

} // namespace shoal
