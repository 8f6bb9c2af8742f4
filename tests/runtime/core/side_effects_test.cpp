// The injectable side effects: the manual clock and the log sinks.

#include <gtest/gtest.h>
#include <string>

#include "runtime/core/clock.hpp"
#include "runtime/core/log_sink.hpp"

using namespace shoal;

TEST(ManualClock, MovesOnlyWhenTold) {
  manual_clock clock{1000};
  EXPECT_EQ(clock.now_ns(), 1000);
  clock.advance(250);
  EXPECT_EQ(clock.now_ns(), 1250);
  clock.set(7);
  EXPECT_EQ(clock.now_ns(), 7);
}

TEST(SystemClock, ReadsTheWallClock) {
  auto before = wall_clock_ns();
  auto now = system_clock().now_ns();
  EXPECT_LE(before, now);
  EXPECT_LE(now, wall_clock_ns());
}

TEST(CapturedLog, KeepsFormattedLinesWithTheirLevel) {
  captured_log log;
  logf(log, log_level::info, "shoal-node: member %s: %s joined (%s)", "a", "b",
       "127.0.0.1:4000");
  logf(log, log_level::warning, "shoal-node: %s: %zu inputs did not confirm",
       "n1", size_t{2});
  auto lines = log.lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].first, log_level::info);
  EXPECT_EQ(lines[0].second, "shoal-node: member a: b joined (127.0.0.1:4000)");
  EXPECT_EQ(lines[1].first, log_level::warning);
  EXPECT_EQ(lines[1].second, "shoal-node: n1: 2 inputs did not confirm");
}

TEST(CapturedLog, KeepsLongLinesWhole) {
  captured_log log;
  std::string text(2000, 'x');
  logf(log, log_level::error, "shoal-node: node n: %s", text.c_str());
  auto lines = log.lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].second, "shoal-node: node n: " + text);
}
