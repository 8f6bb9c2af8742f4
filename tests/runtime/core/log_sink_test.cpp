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

TEST(LogSink, WritesFieldsAfterTheMessage) {
  log_fields fields{{"peer", "n2"},
                    {"address", "127.0.0.1:7702"},
                    {"nodes", size_t{12}},
                    {"ms", 1.5},
                    {"tls", false}};
  EXPECT_EQ(logfmt_line(at(), log_level::info, "n1", "n2 joined", fields),
            "ts=2026-12-05T04:12:00.123Z level=info member=n1 "
            "msg=\"n2 joined\" peer=n2 address=127.0.0.1:7702 nodes=12 "
            "ms=1.500 tls=false");
}

TEST(LogSink, QuotesFieldValuesAsTheMessage) {
  EXPECT_EQ(logfmt_value("n2"), "n2");
  EXPECT_EQ(logfmt_value(""), "\"\"");
  EXPECT_EQ(logfmt_value("planned leave"), "\"planned leave\"");
  EXPECT_EQ(logfmt_value("a=b"), "\"a=b\"");
  EXPECT_EQ(logfmt_value("say \"hi\""), "\"say \\\"hi\\\"\"");
  EXPECT_EQ(logfmt_value("c:\\tmp"), "\"c:\\\\tmp\"");
  EXPECT_EQ(logfmt_value("two\nlines\t"), "\"two lines \"");
  EXPECT_EQ(logfmt_line(at(), log_level::error, "n1", "lost",
                        {{"error", "connection refused"}}),
            "ts=2026-12-05T04:12:00.123Z level=error member=n1 msg=lost "
            "error=\"connection refused\"");
}

TEST(LogSink, HandsFieldsToTheSinkApartFromTheText) {
  captured_log log;
  logf(log, log_level::info, {{"peer", "n2"}}, "member %s: %s joined", "n1",
       "n2");
  log_event(log, log_level::warning, "late", {{"sensor", "s1"}});
  logf(log, log_level::info, "plain %d", 1);
  auto lines = log.lines();
  auto fields = log.fields();
  ASSERT_EQ(lines.size(), 3u);
  ASSERT_EQ(fields.size(), 3u);
  EXPECT_EQ(lines[0].second, "member n1: n2 joined");
  ASSERT_EQ(fields[0].size(), 1u);
  EXPECT_EQ(fields[0][0].key, "peer");
  EXPECT_EQ(fields[0][0].value, "n2");
  EXPECT_EQ(lines[1].first, log_level::warning);
  EXPECT_EQ(lines[1].second, "late");
  EXPECT_EQ(fields[1][0].value, "s1");
  EXPECT_EQ(lines[2].second, "plain 1");
  EXPECT_TRUE(fields[2].empty());
}

TEST(LogSink, FormatsALongLineWhole) {
  captured_log log;
  std::string big(2000, 'x');
  logf(log, log_level::error, {{"node", "m"}}, "node m: %s", big.c_str());
  ASSERT_EQ(log.lines().size(), 1u);
  EXPECT_EQ(log.lines()[0].second, "node m: " + big);
}
