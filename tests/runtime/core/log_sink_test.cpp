// The logfmt lines of a cluster member's log: timestamp, level, member and
// the message, quoted so that journald and Loki read them back.

#include <gtest/gtest.h>

#include "runtime/core/log_sink.hpp"

using namespace shoal;

namespace {

/// 2026-12-05T04:12:00.123Z.
std::chrono::system_clock::time_point at() {
  return std::chrono::system_clock::time_point{
    std::chrono::milliseconds{1796443920123}};
}

} // namespace

TEST(LogSink, WritesOneLogfmtLinePerEvent) {
  EXPECT_EQ(logfmt_line(at(), log_level::info, "n1", "m2 joined"),
            "ts=2026-12-05T04:12:00.123Z level=info member=n1 "
            "msg=\"m2 joined\"");
  EXPECT_EQ(logfmt_line(at(), log_level::warning, "", "late"),
            "ts=2026-12-05T04:12:00.123Z level=warn msg=late");
}

TEST(LogSink, QuotesWhatWouldSplitAValue) {
  EXPECT_EQ(logfmt_line(at(), log_level::error, "n 1", "a \"b\"=c\\d\ne"),
            "ts=2026-12-05T04:12:00.123Z level=error member=\"n 1\" "
            "msg=\"a \\\"b\\\"=c\\\\d e\"");
  EXPECT_EQ(logfmt_line(at(), log_level::debug, "n1", ""),
            "ts=2026-12-05T04:12:00.123Z level=debug member=n1 msg=\"\"");
}

TEST(LogSink, ParsesTheLevelsOfTheCommandLine) {
  EXPECT_EQ(parse_log_level("debug"), log_level::debug);
  EXPECT_EQ(parse_log_level("info"), log_level::info);
  EXPECT_EQ(parse_log_level("warn"), log_level::warning);
  EXPECT_EQ(parse_log_level("error"), log_level::error);
  EXPECT_FALSE(parse_log_level("loud"));
}

TEST(LogSink, WritesFieldsAsKeysOfTheirOwn) {
  EXPECT_EQ(
    logfmt_fields(
      {{"source", "mqtt source #1"}, {"reason", "malformed"}, {"sensor", ""}}),
    " source=\"mqtt source #1\" reason=malformed sensor=\"\"");
  captured_log log;
  log.write_event(log_level::warning, "rejected input", {{"reason", "late"}});
  auto lines = log.lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].first, log_level::warning);
  EXPECT_EQ(lines[0].second, "rejected input reason=late");
}
