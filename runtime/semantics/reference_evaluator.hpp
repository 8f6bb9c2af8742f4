// The single-threaded reference evaluator: SPEC section 3, plainly.
//
// It is the oracle the actor runtime is tested against, and the speed limit
// the benchmark compares it with. One replay source feeds it samples in file
// order; it applies the source checks (`source_filter` with the replay
// watermark, then one `sensor_gate` per sensor), keeps accepted samples in a
// buffer ordered by ts, and after each offer processes every buffered
// timestamp `t <= W`, in increasing order (at `finish()`, all of them).
//
// Processing `t`: each sensor with a sample at `t` outputs it; then every
// derived node, in topological order (the order of `graph_spec::nodes`),
// fires at `t` if one of its trigger inputs produced an output at exactly
// `t` and every input has produced an output at or before `t`. The
// arguments are each input's latest output (the one at `t`, if any, because
// inputs come first in topological order). A finite value is an output at
// `t`; a non-finite value or a failed call is an error of the node
// ("non-finite output <value>" or the function's message); `none` is
// nothing.
//
// The evaluator owns its node functions and its result. Not thread-safe.
// Memory grows with the buffered samples (bounded by the allowed lateness)
// and with the collected outputs (unless an output sink is set).

#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "caf/expected.hpp"

#include "runtime/core/counters.hpp"
#include "runtime/core/output_row.hpp"
#include "runtime/graph/graph_spec.hpp"

namespace shoal {

/// Everything a run produced.
struct run_result {
  /// Samples accepted, and rejected by reason.
  ingest_counts ingest;
  /// Line numbers of the first `max_malformed_lines` malformed rows.
  std::vector<uint64_t> malformed_lines;
  /// Per graph node, in the order of `graph_spec::nodes` (sensors: zero).
  std::vector<node_counts> nodes;
  /// The outputs of emitting nodes, in processing order (by ts, then in
  /// topological order); empty when an output sink is set.
  std::vector<output_row> outputs;
};

class reference_evaluator {
public:
  /// Receives each output of an emitting node, in processing order.
  using output_fn
    = std::function<void(const std::string& node, int64_t ts, double value)>;

  /// Builds the evaluator of `g`, which must be validated (nodes in
  /// topological order), with each node's function from `make_fn`. Fails
  /// with the factory's error, with an `errc::invalid_graph` error if `g` is
  /// not in topological order, or with an `errc::invalid_config` error for a
  /// negative lateness.
  static caf::expected<reference_evaluator>
  make(const graph_spec& g, int64_t allowed_lateness_ns = 0);

  reference_evaluator(reference_evaluator&&) noexcept;
  reference_evaluator& operator=(reference_evaluator&&) noexcept;
  ~reference_evaluator();

  /// Sends outputs to `f` instead of collecting them in `result().outputs`.
  void set_output_sink(output_fn f);

  /// Offers one parsed row, in file order, and processes what became safe.
  void offer(std::string_view sensor, int64_t ts, double value);

  /// Counts a malformed row at line `line`.
  void offer_malformed(uint64_t line);

  /// End of stream: processes every buffered timestamp.
  void finish();

  const run_result& result() const;

  /// Moves the result out; the evaluator is spent afterwards.
  run_result take_result();

private:
  struct state;

  explicit reference_evaluator(std::unique_ptr<state> st);

  std::unique_ptr<state> state_;
};

/// Reads the input CSV at `csv_path` (an error if it cannot be read or its
/// header is wrong) and runs a reference evaluator of `g` over it.
caf::expected<run_result> reference_replay(const graph_spec& g,
                                           const std::string& csv_path,
                                           int64_t allowed_lateness_ns = 0);

} // namespace shoal
