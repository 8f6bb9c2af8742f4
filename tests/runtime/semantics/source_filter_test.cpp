#include <cmath>
#include <gtest/gtest.h>

#include "runtime/semantics/source_filter.hpp"

using namespace shoal;

namespace {

sensor_directory two_sensors() {
  return sensor_directory{{"a", "b"}};
}

} // namespace

TEST(SourceFilter, RejectsInSpecOrder) {
  auto dir = two_sensors();
  source_filter f{dir, 0, true};
  EXPECT_EQ(f.offer("x", 10, NAN).reason, reject_reason::unknown_sensor);
  EXPECT_TRUE(f.offer("a", 10, 1.0).accepted);
  // non_finite comes before late.
  EXPECT_EQ(f.offer("b", 5, INFINITY).reason, reject_reason::non_finite);
  EXPECT_EQ(f.offer("b", 9, 1.0).reason, reject_reason::late);
  EXPECT_EQ(f.counts().accepted, 1u);
  EXPECT_EQ(f.counts()[reject_reason::late], 1u);
  EXPECT_EQ(f.counts()[reject_reason::unknown_sensor], 1u);
  EXPECT_EQ(f.counts()[reject_reason::non_finite], 1u);
  // Per sensor, where the sensor is known.
  EXPECT_EQ(f.sensor_counts(0).accepted, 1u);
  EXPECT_EQ(f.sensor_counts(1)[reject_reason::non_finite], 1u);
  EXPECT_EQ(f.sensor_counts(1)[reject_reason::late], 1u);
  EXPECT_EQ(f.sensor_counts(0).rejected_total(), 0u);
}

TEST(SourceFilter, ReplayWatermarkFollowsLargestAcceptedTimestamp) {
  auto dir = two_sensors();
  source_filter f{dir, 0, true};
  EXPECT_EQ(f.watermark(), wm_none);
  EXPECT_TRUE(f.offer("a", 100, 1.0).accepted);
  EXPECT_EQ(f.watermark(), 99);
  // Equal timestamps of another sensor are not late.
  EXPECT_TRUE(f.offer("b", 100, 1.0).accepted);
  EXPECT_EQ(f.watermark(), 99);
  f.finish();
  EXPECT_EQ(f.watermark(), wm_end);
}

TEST(SourceFilter, AllowedLatenessKeepsWatermarkBehind) {
  auto dir = two_sensors();
  source_filter f{dir, 50, true};
  EXPECT_TRUE(f.offer("a", 100, 1.0).accepted);
  EXPECT_EQ(f.watermark(), 49);
  EXPECT_TRUE(f.offer("b", 50, 1.0).accepted);
  EXPECT_EQ(f.offer("b", 49, 1.0).reason, reject_reason::late);
}

TEST(SourceFilter, LiveWatermarkNeverMovesBack) {
  auto dir = two_sensors();
  source_filter f{dir, 0, false};
  f.set_watermark(1000);
  f.set_watermark(500);
  EXPECT_EQ(f.watermark(), 1000);
  EXPECT_TRUE(f.offer("a", 2000, 1.0).accepted);
  EXPECT_EQ(f.watermark(), 1000);
}

TEST(SensorGate, AdmitsOnlyIncreasingTimestamps) {
  sensor_gate g;
  EXPECT_TRUE(g.admit(5));
  EXPECT_FALSE(g.admit(5));
  EXPECT_FALSE(g.admit(4));
  EXPECT_TRUE(g.admit(6));
}

TEST(SourceFilter, SentinelTimestampsAreMalformed) {
  // INT64_MIN and INT64_MAX are the watermark sentinels wm_none and wm_end;
  // a sample carrying one is malformed (counted, in the totals only) and
  // neither moves the watermark nor stops later samples.
  auto dir = two_sensors();
  for (bool replay : {true, false}) {
    source_filter f{dir, 0, replay};
    auto hi = f.offer("a", wm_end, 1.0);
    EXPECT_FALSE(hi.accepted);
    EXPECT_EQ(hi.reason, reject_reason::malformed);
    // Malformed comes first, before unknown_sensor and non_finite.
    EXPECT_EQ(f.offer("x", wm_none, NAN).reason, reject_reason::malformed);
    EXPECT_EQ(f.watermark(), wm_none);
    EXPECT_TRUE(f.offer("a", 10, 1.0).accepted);
    EXPECT_EQ(f.offer("a", wm_end, 2.0).reason, reject_reason::malformed);
    EXPECT_TRUE(f.offer("a", 20, 2.0).accepted);
    EXPECT_EQ(f.counts()[reject_reason::malformed], 3u);
    EXPECT_EQ(f.counts().accepted, 2u);
    EXPECT_EQ(f.counts()[reject_reason::unknown_sensor], 0u);
    EXPECT_EQ(f.sensor_counts(0).accepted, 2u);
    EXPECT_EQ(f.sensor_counts(0).rejected_total(), 0u);
    if (replay) {
      EXPECT_EQ(f.watermark(), 19);
    }
  }
  // The range between the sentinels is accepted to its ends.
  source_filter g{dir, 0, true};
  EXPECT_TRUE(g.offer("a", wm_none + 1, 1.0).accepted);
  EXPECT_TRUE(g.offer("a", wm_end - 1, 1.0).accepted);
  EXPECT_EQ(g.watermark(), wm_end - 2);
  EXPECT_TRUE(valid_ts(0));
  EXPECT_FALSE(valid_ts(wm_none));
  EXPECT_FALSE(valid_ts(wm_end));
}

TEST(SourceFilter, GuessesTimestampsInSecondsMillisecondsAndMicroseconds) {
  // 2026-12-05T00:00:00Z.
  const int64_t now = 1796428800LL * 1000000000LL;
  EXPECT_STREQ(timestamp_unit_guess(1796428800LL, now), "seconds");
  EXPECT_STREQ(timestamp_unit_guess(1796428800123LL, now), "milliseconds");
  EXPECT_STREQ(timestamp_unit_guess(1796428800123456LL, now), "microseconds");
  // A day off is still that unit; nanoseconds, small replay times and
  // the distant past are nothing.
  EXPECT_STREQ(timestamp_unit_guess(1796428800LL - 86400, now), "seconds");
  EXPECT_EQ(timestamp_unit_guess(now - 5000000000LL, now), nullptr);
  EXPECT_EQ(timestamp_unit_guess(1000, now), nullptr);
  EXPECT_EQ(timestamp_unit_guess(0, now), nullptr);
  EXPECT_EQ(timestamp_unit_guess(-1796428800LL, now), nullptr);
  EXPECT_EQ(timestamp_unit_guess(946684800LL, now), nullptr);
}
