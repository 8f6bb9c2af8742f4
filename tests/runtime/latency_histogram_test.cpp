// The read-only accessors of latency_histogram that exports use.

#include <cstdint>
#include <gtest/gtest.h>

#include "runtime/latency_histogram.hpp"

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
