#include <gtest/gtest.h>
#include <string>

#include "runtime/core/reject_log.hpp"

namespace shoal {

namespace {

reject_event malformed(std::string_view text, std::string_view example = {}) {
  reject_event e;
  e.reason = reject_reason::malformed;
  e.text = text;
  e.origin = "mqtt topic plant/a";
  e.example = example;
  e.now_ns = 1'000'000'000;
  return e;
}

} // namespace

TEST(RejectLog, KeepsTheFirstOfEachDistinctTextWithItsCount) {
  reject_log log;
  auto first = log.add(malformed("payload is not valid JSON", "{oops"));
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->reason, "malformed");
  EXPECT_EQ(first->example, "{oops");
  EXPECT_EQ(log.add(malformed("payload is not valid JSON", "{again")), nullptr);
  ASSERT_EQ(log.reasons.size(), 1u);
  EXPECT_EQ(log.reasons[0].count, 2u);
  EXPECT_EQ(log.reasons[0].example, "{oops");
  EXPECT_EQ(log.reasons[0].origin, "mqtt topic plant/a");
  EXPECT_EQ(log.reasons[0].first_ns, 1'000'000'000);
}

TEST(RejectLog, StaysBoundedWhateverTheInput) {
  reject_log log;
  for (int i = 0; i < 10'000; ++i) {
    auto text = "reason " + std::to_string(i);
    log.add(malformed(text, std::string(10'000, 'x')));
    log.add_unknown("sensor." + std::to_string(i));
  }
  EXPECT_EQ(log.reasons.size(), reject_log::max_reasons);
  EXPECT_EQ(log.other_reasons, 10'000u - reject_log::max_reasons);
  EXPECT_EQ(log.unknown.size(), reject_log::max_unknown);
  EXPECT_EQ(log.other_unknown, 10'000u - reject_log::max_unknown);
  for (auto& x : log.reasons)
    EXPECT_LE(x.example.size(), reject_log::max_example);
}

TEST(RejectLog, CountsUnknownNamesBySample) {
  reject_log log;
  log.add_unknown("plant.x");
  log.add_unknown("plant.x", 4);
  log.add_unknown("plant.y");
  ASSERT_EQ(log.unknown.size(), 2u);
  EXPECT_EQ(log.unknown[0].name, "plant.x");
  EXPECT_EQ(log.unknown[0].count, 5u);
  EXPECT_EQ(log.unknown[1].count, 1u);
}

TEST(RejectLog, EscapesBytesFromThePeer) {
  EXPECT_EQ(escape_bytes("a\"b\\c\n\x01\xff", 100), "a\"b\\\\c\\x0a\\x01\\xff");
  EXPECT_EQ(escape_bytes("abcdefgh", 6), "abc...");
  EXPECT_EQ(escape_bytes("abcdef", 6), "abcdef");
  // An escape is never cut in half.
  EXPECT_EQ(escape_bytes("ab\x01\x02\x03", 9), "ab\\x01...");
  EXPECT_EQ(escape_bytes("ab\x01\x02\x03", 8), "ab...");
  reject_log log;
  log.add_unknown("evil\x1b[2Jname");
  EXPECT_EQ(log.unknown[0].name, "evil\\x1b[2Jname");
}

TEST(RejectLog, MergeNamesTheSourceAndKeepsItsBounds) {
  reject_log a;
  a.add(malformed("bad one"));
  a.add_unknown("plant.x", 2);
  reject_log b;
  b.add(malformed("bad one"));
  b.add(malformed("bad two"));
  b.add_unknown("plant.x");
  reject_log member;
  member.merge(a, "mqtt source #1");
  member.merge(b, "tcp source #2");
  member.merge(a, "mqtt source #1");
  ASSERT_EQ(member.reasons.size(), 3u);
  EXPECT_EQ(member.reasons[0].source, "mqtt source #1");
  EXPECT_EQ(member.reasons[0].count, 2u);
  EXPECT_EQ(member.reasons[1].source, "tcp source #2");
  ASSERT_EQ(member.unknown.size(), 1u);
  EXPECT_EQ(member.unknown[0].count, 5u);
  // A merged log merged again keeps the sources it names.
  reject_log cluster;
  cluster.merge(member, "ignored");
  EXPECT_EQ(cluster.reasons[1].source, "tcp source #2");
  for (int i = 0; i < 20; ++i)
    cluster.merge(member, "x");
  EXPECT_EQ(cluster.reasons.size(), 3u);
  EXPECT_EQ(cluster.reasons[0].count, 42u);
}

TEST(RejectLog, WritesRfc3339Times) {
  EXPECT_EQ(rfc3339_ms(1'764'928'800'123'456'789), "2025-12-05T10:00:00.123Z");
}

} // namespace shoal
