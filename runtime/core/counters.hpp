// Counters that sources, sensors and nodes keep, and their sums.
//
// Plain values with `inspect()`: actors send them in reports and status
// replies; the reference evaluator fills the same structs so that tests can
// compare the two field by field.

#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace shoal {

/// Why a sample was rejected; the first reason that applies, in this order.
enum class reject_reason : uint8_t {
  malformed,
  unknown_sensor,
  non_finite,
  late,
  out_of_order,
};

constexpr size_t reject_reason_count = 5;

/// Returns "malformed", "unknown_sensor", ...
const char* to_string(reject_reason x);

/// How many malformed line numbers a source remembers for its report.
constexpr size_t max_malformed_lines = 10;

/// Samples accepted and rejected, by reason.
struct ingest_counts {
  uint64_t accepted = 0;
  std::array<uint64_t, reject_reason_count> rejected{};
  /// Of `accepted`, those from live feeds (sources that do not mark
  /// checkpoint rounds: TCP, MQTT), which nothing sends again.
  uint64_t live = 0;
  /// A sensor's `live` when its actor took over a state (a move, or a
  /// restore from a checkpoint, which may take some back); not merged.
  uint64_t live_base = 0;

  uint64_t& operator[](reject_reason r) {
    return rejected[static_cast<size_t>(r)];
  }
  uint64_t operator[](reject_reason r) const {
    return rejected[static_cast<size_t>(r)];
  }
  uint64_t rejected_total() const;
  void merge(const ingest_counts& other);
};

/// What was counted since `base` (each field, never below zero); `live_base`
/// stays zero. A node's counters travel with it when it moves, so this is
/// what a member counts as its own work (runtime/core/counts_slot.hpp).
ingest_counts counted_since(const ingest_counts& now,
                            const ingest_counts& base);

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ingest_counts& x) {
  return f(x.accepted, x.rejected, x.live, x.live_base);
}

/// What one feature or model node did.
struct node_counts {
  /// Calls of the node's function (one per firing timestamp).
  uint64_t firings = 0;
  /// Outputs produced (firings that returned a finite value).
  uint64_t outputs = 0;
  /// Firings that failed or returned a non-finite value.
  uint64_t errors = 0;
  /// The message of the last error, empty if none.
  std::string last_error;

  void merge(const node_counts& other);
};

/// The firings, outputs and errors counted since `base` (never below zero),
/// with the last error of `now`.
node_counts counted_since(const node_counts& now, const node_counts& base);

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, node_counts& x) {
  return f(x.firings, x.outputs, x.errors, x.last_error);
}

} // namespace shoal
