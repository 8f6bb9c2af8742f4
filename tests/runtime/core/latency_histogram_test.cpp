// The read-only accessors of latency_histogram that exports use.

#include <cstdint>
#include <gtest/gtest.h>
#include <vector>

#include "runtime/core/latency_histogram.hpp"

using namespace shoal;

TEST(LatencyHistogram, CountAtOrBelowIsExactAtBucketBounds) {
  latency_histogram h;
  EXPECT_EQ(h.count_at_or_below(1'000'000), 0u);
  // Values below 16 have buckets of their own.
  for (int64_t ns = 0; ns < 16; ++ns)
    h.record(ns);
  EXPECT_EQ(h.count_at_or_below(-1), 0u);
  EXPECT_EQ(h.count_at_or_below(0), 1u);
  EXPECT_EQ(h.count_at_or_below(7), 8u);
  EXPECT_EQ(h.count_at_or_below(15), 16u);
  EXPECT_EQ(h.count_at_or_below(INT64_MAX), 16u);
}

TEST(LatencyHistogram, CountAtOrBelowUndercountsByOneBucketAtMost) {
  latency_histogram h;
  for (int64_t i = 1; i <= 10'000; ++i)
    h.record(i * 1'000);
  uint64_t last = 0;
  for (int64_t bound = 1'000; bound <= 10'000'000; bound += 77'777) {
    auto n = h.count_at_or_below(bound);
    auto exact = static_cast<uint64_t>(bound / 1'000);
    EXPECT_LE(n, exact) << bound;
    // The bucket holding `bound` is at most 1/8 of it wide.
    EXPECT_GE(n + exact / 8 + 1, exact) << bound;
    EXPECT_GE(n, last);
    last = n;
  }
  EXPECT_EQ(h.count_at_or_below(INT64_MAX), h.count());
}

TEST(LatencyHistogram, ApproximateSumIsWithinASixteenth) {
  latency_histogram h;
  EXPECT_EQ(h.approximate_sum(), 0.0);
  h.record(5);
  EXPECT_EQ(h.approximate_sum(), 5.0);
  double exact = 5;
  for (int64_t i = 1; i <= 5'000; ++i) {
    h.record(i * 3'331);
    exact += static_cast<double>(i * 3'331);
  }
  EXPECT_NEAR(h.approximate_sum(), exact, exact / 16);
}

TEST(LatencyHistogram, NumbersCarryAHistogramBetweenProcesses) {
  shoal::latency_histogram a;
  for (int64_t ns :
       std::vector<int64_t>{1000, 2000, 2000, 5'000'000, 70'000'000'000})
    a.record(ns);
  shoal::latency_histogram b;
  b.record(3000);
  b.merge_numbers(a.to_numbers());
  EXPECT_EQ(b.count(), 6u);
  EXPECT_EQ(b.max(), 70'000'000'000);
  shoal::latency_histogram c = a;
  c.record(3000);
  for (double q : {0.1, 0.5, 0.9, 1.0})
    EXPECT_EQ(b.quantile(q), c.quantile(q)) << q;
  // Malformed numbers change nothing.
  shoal::latency_histogram d;
  d.merge_numbers({1, 2, 3});
  d.merge_numbers({999999, 1, 1, 5});
  EXPECT_EQ(d.count(), 0u);
}
