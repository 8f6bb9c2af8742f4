// A log-bucket latency histogram: 8 buckets per power of two of nanoseconds,
// so any percentile is within 1/8 (12.5 %) of the true value.
//
// A plain value with merge and reset; not thread-safe.

#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace shoal {

class latency_histogram {
public:
  static constexpr int sub_buckets = 8;
  static constexpr int buckets = 64 * sub_buckets;

  /// Records one latency in nanoseconds (negative counts as 0).
  void record(int64_t ns);

  /// The value below which a fraction `q` (0..1) of recordings fall, in
  /// nanoseconds (upper bound of its bucket); 0 if empty.
  int64_t quantile(double q) const;

  int64_t max() const {
    return max_;
  }

  uint64_t count() const {
    return count_;
  }

  /// How many recordings fell into buckets whose upper bound is at most `ns`
  /// (exact at bucket bounds; between them it leaves out the bucket that
  /// holds `ns`, an undercount of at most one bucket). For cumulative
  /// exports such as Prometheus `le` buckets.
  uint64_t count_at_or_below(int64_t ns) const;

  /// The sum of all recordings in nanoseconds, estimated as each bucket's
  /// midpoint times its count (within 1/16 of the true sum).
  double approximate_sum() const;

  void merge(const latency_histogram& other);

  /// The histogram as plain numbers, to send between processes: the
  /// non-empty buckets as (bucket, count) pairs, then the count and the max.
  std::vector<uint64_t> to_numbers() const;

  /// Adds a histogram given by `to_numbers`; ignores malformed input.
  void merge_numbers(const std::vector<uint64_t>& xs);

  void reset();

private:
  static int bucket_of(uint64_t ns);
  static int64_t upper_bound_of(int bucket);

  std::array<uint64_t, buckets> counts_{};
  uint64_t count_ = 0;
  int64_t max_ = 0;
};

} // namespace shoal
