#include "runtime/http/status_history.hpp"

#include <unordered_map>

namespace shoal {

status_history::status_history(size_t capacity)
  : capacity_(capacity > 0 ? capacity : 1) {
  // nop
}

void status_history::record(int64_t unix_ms, const totals_status& totals,
                            const latency_histogram& latency) {
  status_point p;
  p.unix_ms = unix_ms;
  p.samples_per_s = totals.samples_per_s;
  p.outputs_per_s = totals.outputs_per_s;
  auto recent = latency_since(latency, last_);
  if (recent.count() > 0) {
    p.p50_ns = recent.quantile(0.5);
    p.p99_ns = recent.quantile(0.99);
  }
  last_ = latency;
  if (points_.size() == capacity_)
    points_.pop_front();
  points_.push_back(p);
}

std::vector<status_point> status_history::points() const {
  return {points_.begin(), points_.end()};
}

latency_histogram latency_since(const latency_histogram& now,
                                const latency_histogram& before) {
  if (now.count() < before.count())
    return now;
  // Both as (bucket, count) pairs followed by the count and the max.
  auto xs = now.to_numbers();
  auto ys = before.to_numbers();
  std::unordered_map<uint64_t, uint64_t> earlier;
  for (size_t i = 0; i + 3 < ys.size(); i += 2)
    earlier[ys[i]] = ys[i + 1];
  std::vector<uint64_t> diff;
  uint64_t count = 0;
  for (size_t i = 0; i + 3 < xs.size(); i += 2) {
    auto e = earlier.find(xs[i]);
    auto was = e == earlier.end() ? 0 : e->second;
    // A bucket that shrank means the histogram started again.
    if (xs[i + 1] < was)
      return now;
    if (xs[i + 1] == was)
      continue;
    diff.push_back(xs[i]);
    diff.push_back(xs[i + 1] - was);
    count += xs[i + 1] - was;
  }
  diff.push_back(count);
  diff.push_back(xs.back());
  latency_histogram out;
  out.merge_numbers(diff);
  return out;
}

} // namespace shoal
