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

namespace {

uint64_t less(uint64_t now, uint64_t base) {
  return now > base ? now - base : 0;
}

} // namespace

ingest_counts counted_since(const ingest_counts& now,
                            const ingest_counts& base) {
  ingest_counts out;
  out.accepted = less(now.accepted, base.accepted);
  out.live = less(now.live, base.live);
  for (size_t i = 0; i < reject_reason_count; ++i)
    out.rejected[i] = less(now.rejected[i], base.rejected[i]);
  return out;
}

node_counts counted_since(const node_counts& now, const node_counts& base) {
  node_counts out;
  out.firings = less(now.firings, base.firings);
  out.outputs = less(now.outputs, base.outputs);
  out.errors = less(now.errors, base.errors);
  out.last_error = now.last_error;
  return out;
}

} // namespace shoal
