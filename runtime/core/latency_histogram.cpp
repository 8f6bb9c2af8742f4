#include "runtime/core/latency_histogram.hpp"

#include <cstddef>

namespace shoal {

int latency_histogram::bucket_of(uint64_t ns) {
  if (ns < sub_buckets)
    return static_cast<int>(ns);
  int msb = 63 - __builtin_clzll(ns);
  // The 3 bits below the most significant one select the sub-bucket.
  int sub = static_cast<int>((ns >> (msb - 3)) & (sub_buckets - 1));
  return (msb - 2) * sub_buckets + sub;
}

int64_t latency_histogram::upper_bound_of(int bucket) {
  if (bucket < sub_buckets)
    return bucket;
  int msb = bucket / sub_buckets + 2;
  int sub = bucket % sub_buckets;
  uint64_t base = (uint64_t{1} << msb) | (uint64_t(sub) << (msb - 3));
  uint64_t width = uint64_t{1} << (msb - 3);
  auto upper = base + width - 1;
  return upper > uint64_t(INT64_MAX) ? INT64_MAX : static_cast<int64_t>(upper);
}

void latency_histogram::record(int64_t ns) {
  if (ns < 0)
    ns = 0;
  ++counts_[bucket_of(static_cast<uint64_t>(ns))];
  ++count_;
  if (ns > max_)
    max_ = ns;
}

int64_t latency_histogram::quantile(double q) const {
  if (count_ == 0)
    return 0;
  auto rank = static_cast<uint64_t>(q * static_cast<double>(count_));
  if (rank >= count_)
    rank = count_ - 1;
  uint64_t seen = 0;
  for (int b = 0; b < buckets; ++b) {
    seen += counts_[b];
    if (seen > rank) {
      auto ub = upper_bound_of(b);
      return ub < max_ ? ub : max_;
    }
  }
  return max_;
}

uint64_t latency_histogram::count_at_or_below(int64_t ns) const {
  if (ns < 0)
    return 0;
  uint64_t n = 0;
  for (int b = 0; b < buckets && upper_bound_of(b) <= ns; ++b)
    n += counts_[b];
  return n;
}

double latency_histogram::approximate_sum() const {
  double sum = 0;
  for (int b = 0; b < buckets; ++b) {
    if (counts_[b] == 0)
      continue;
    auto lower = b == 0 ? 0.0 : static_cast<double>(upper_bound_of(b - 1)) + 1;
    auto mid = (lower + static_cast<double>(upper_bound_of(b))) / 2;
    sum += mid * static_cast<double>(counts_[b]);
  }
  return sum;
}

void latency_histogram::merge(const latency_histogram& other) {
  for (int b = 0; b < buckets; ++b)
    counts_[b] += other.counts_[b];
  count_ += other.count_;
  if (other.max_ > max_)
    max_ = other.max_;
}

std::vector<uint64_t> latency_histogram::to_numbers() const {
  std::vector<uint64_t> xs;
  for (int b = 0; b < buckets; ++b)
    if (counts_[b] > 0) {
      xs.push_back(static_cast<uint64_t>(b));
      xs.push_back(counts_[b]);
    }
  xs.push_back(count_);
  xs.push_back(static_cast<uint64_t>(max_));
  return xs;
}

void latency_histogram::merge_numbers(const std::vector<uint64_t>& xs) {
  if (xs.size() < 2 || xs.size() % 2 != 0)
    return;
  auto pairs = xs.size() / 2 - 1;
  for (size_t i = 0; i < pairs; ++i)
    if (xs[2 * i] >= static_cast<uint64_t>(buckets))
      return;
  for (size_t i = 0; i < pairs; ++i)
    counts_[xs[2 * i]] += xs[2 * i + 1];
  count_ += xs[xs.size() - 2];
  auto m = static_cast<int64_t>(xs.back());
  if (m > max_)
    max_ = m;
}

void latency_histogram::reset() {
  counts_.fill(0);
  count_ = 0;
  max_ = 0;
}

} // namespace shoal
