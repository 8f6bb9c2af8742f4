#include <gtest/gtest.h>

#include "runtime/semantics/reject_texts.hpp"

namespace shoal {

namespace {

constexpr int64_t now = 1'796'443'920'000'000'000; // 2026-12-05T04:12:00Z

bool has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

} // namespace

TEST(RejectTexts, NameTheUnitOfAMillisecondTimestamp) {
  auto text = sample_reject_text(reject_reason::late, now / 1'000'000, now);
  EXPECT_TRUE(has(text, "looks like milliseconds")) << text;
  text = sample_reject_text(reject_reason::late, now / 1'000'000'000, now);
  EXPECT_TRUE(has(text, "looks like seconds")) << text;
  text = sample_reject_text(reject_reason::late, now - 1'000'000'000, now);
  EXPECT_TRUE(has(text, "allowed_lateness_ns")) << text;
}

TEST(RejectTexts, AreTheSameForEverySampleOfAKind) {
  for (auto why : {reject_reason::unknown_sensor, reject_reason::non_finite,
                   reject_reason::out_of_order, reject_reason::malformed})
    EXPECT_EQ(sample_reject_text(why, 1, now),
              sample_reject_text(why, 2, now + 5));
  EXPECT_TRUE(has(sample_reject_text(reject_reason::out_of_order, 1, now),
                  "bare MQTT number"));
}

TEST(RejectTexts, ShowTheSampleAndTheTimestampHint) {
  EXPECT_EQ(sample_example("plant.a", 12, 1.5), "plant.a ts=12 value=1.5");
  EXPECT_EQ(malformed_text("payload is not valid JSON"),
            "payload is not valid JSON");
  auto text = malformed_text("JSON \"ts\" must be an integer (ns), not string");
  EXPECT_TRUE(has(text, "integer nanoseconds since the epoch")) << text;
}

} // namespace shoal
