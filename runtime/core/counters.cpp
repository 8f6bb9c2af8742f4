#include "runtime/core/counters.hpp"

namespace shoal {

const char* to_string(reject_reason x) {
  switch (x) {
    case reject_reason::malformed: return "malformed";
    case reject_reason::unknown_sensor: return "unknown_sensor";
    case reject_reason::non_finite: return "non_finite";
    case reject_reason::late: return "late";
    case reject_reason::out_of_order: return "out_of_order";
  }
  return "unknown";
}

uint64_t ingest_counts::rejected_total() const {
  uint64_t sum = 0;
  for (auto n : rejected)
    sum += n;
  return sum;
}

void ingest_counts::merge(const ingest_counts& other) {
  accepted += other.accepted;
  live += other.live;
  for (size_t i = 0; i < reject_reason_count; ++i)
    rejected[i] += other.rejected[i];
}

void node_counts::merge(const node_counts& other) {
  firings += other.firings;
  outputs += other.outputs;
  errors += other.errors;
  if (!other.last_error.empty())
    last_error = other.last_error;
}

} // namespace shoal
