// The three MQTT payload forms, and what is not one of them.

#include <cmath>
#include <gtest/gtest.h>
#include <msgpack.hpp>

#include "runtime/core/errc.hpp"
#include "runtime/io/mqtt_payload.hpp"
#include "runtime/io/mqtt_sink.hpp"
#include "runtime/io/mqtt_source.hpp"

using namespace shoal;

namespace {

constexpr int64_t arrival = 1'700'000'000'000'000'000;

std::string packed_map(bool with_ts, int64_t ts, double value) {
  msgpack::sbuffer buf;
  msgpack::packer<msgpack::sbuffer> pk{buf};
  pk.pack_map(with_ts ? 3 : 2);
  pk.pack(std::string{"unit"});
  pk.pack(std::string{"degC"});
  if (with_ts) {
    pk.pack(std::string{"ts"});
    pk.pack(ts);
  }
  pk.pack(std::string{"value"});
  pk.pack(value);
  return std::string(buf.data(), buf.size());
}

std::string error_of(std::string_view payload) {
  auto p = parse_mqtt_payload(payload, arrival);
  return p ? std::string{"no error"} : describe(p.error());
}

} // namespace

TEST(MqttPayload, ParsesJson) {
  auto p = parse_mqtt_payload(R"({"ts": 1700000000123456789, "value": 21.5})",
                              arrival);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->ts, 1700000000123456789);
  EXPECT_EQ(p->value, 21.5);
  p = parse_mqtt_payload(" {\"value\": -3, \"unit\": \"V\"}\n", arrival);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->ts, arrival);
  EXPECT_EQ(p->value, -3.0);
}

TEST(MqttPayload, ParsesMsgpackMap) {
  auto p = parse_mqtt_payload(packed_map(true, 42, 0.25), arrival);
  ASSERT_TRUE(p) << describe(p.error());
  EXPECT_EQ(p->ts, 42);
  EXPECT_EQ(p->value, 0.25);
  p = parse_mqtt_payload(packed_map(false, 0, 7.0), arrival);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->ts, arrival);
  EXPECT_EQ(p->value, 7.0);
}

TEST(MqttPayload, ParsesBareNumbersWithArrivalTime) {
  for (auto [text, want] : {std::pair{"21.5", 21.5},
                            {" -3e2 \r\n", -300.0},
                            {"+7", 7.0},
                            {"0", 0.0}}) {
    auto p = parse_mqtt_payload(text, arrival);
    ASSERT_TRUE(p) << text;
    EXPECT_EQ(p->ts, arrival);
    EXPECT_EQ(p->value, want);
  }
  // Non-finite numbers parse; the source rejects them as non_finite.
  auto p = parse_mqtt_payload("nan", arrival);
  ASSERT_TRUE(p);
  EXPECT_TRUE(std::isnan(p->value));
  p = parse_mqtt_payload("1e999", arrival);
  ASSERT_TRUE(p);
  EXPECT_TRUE(std::isinf(p->value));
}

TEST(MqttPayload, RejectsGarbageWithAReason) {
  EXPECT_EQ(error_of(""), "empty payload");
  EXPECT_EQ(error_of("  \n"), "empty payload");
  EXPECT_EQ(error_of("hello"),
            "payload is not JSON, msgpack or a number: 'hello'");
  EXPECT_EQ(error_of(std::string{"\x01\xff\x00z", 4}),
            "payload is not JSON, msgpack or a number: '???z'");
  EXPECT_EQ(error_of("12 13"),
            "payload is not JSON, msgpack or a number: '12 13'");
  EXPECT_EQ(error_of("{\"ts\": 1, \"value\": "), "payload is not valid JSON");
  EXPECT_EQ(error_of("{\"ts\": 1}"), "JSON payload has no \"value\"");
  EXPECT_EQ(error_of("{\"value\": \"3\"}"),
            "JSON \"value\" must be a number, not string");
  EXPECT_EQ(error_of("{\"ts\": 1.5, \"value\": 3}"),
            "JSON \"ts\" must be an integer (ns), not number");
  EXPECT_EQ(error_of("{\"ts\": 18446744073709551615, \"value\": 3}"),
            "JSON \"ts\" does not fit in an int64");
  EXPECT_EQ(error_of("[1, 2]"),
            "payload is not JSON, msgpack or a number: '[1, 2]'");
}

TEST(MqttPayload, RejectsBadMsgpack) {
  // A map header announcing more than the payload holds.
  EXPECT_NE(error_of(std::string{"\x82\xa2ts", 4}).find("not valid msgpack"),
            std::string::npos);
  // Trailing bytes after the map.
  EXPECT_EQ(error_of(packed_map(true, 1, 2) + "x"),
            "msgpack payload has trailing bytes");
  // Wrong types.
  msgpack::sbuffer buf;
  msgpack::packer<msgpack::sbuffer> pk{buf};
  pk.pack_map(2);
  pk.pack(std::string{"ts"});
  pk.pack(std::string{"now"});
  pk.pack(std::string{"value"});
  pk.pack(1.0);
  EXPECT_EQ(error_of(std::string(buf.data(), buf.size())),
            "msgpack \"ts\" must be an int64 (ns), not a string");
  buf.clear();
  pk.pack_map(1);
  pk.pack(std::string{"value"});
  pk.pack_nil();
  EXPECT_EQ(error_of(std::string(buf.data(), buf.size())),
            "msgpack \"value\" must be a number, not nil");
  buf.clear();
  pk.pack_map(1);
  pk.pack(std::string{"ts"});
  pk.pack(5);
  EXPECT_EQ(error_of(std::string(buf.data(), buf.size())),
            "msgpack payload has no \"value\"");
  // A huge map header is refused without allocating.
  EXPECT_NE(
    error_of(std::string{"\xdf\xff\xff\xff\xff", 5}).find("not valid msgpack"),
    std::string::npos);
}

TEST(MqttPayload, FormatsWhatSinksPublish) {
  auto text = format_mqtt_payload(point{-5, 0.1});
  EXPECT_EQ(text, "{\"ts\":-5,\"value\":0.10000000000000001}");
  auto back = parse_mqtt_payload(text, arrival);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->ts, -5);
  EXPECT_EQ(back->value, 0.1);
}

TEST(MqttTopics, MapSensorsAndOutputs) {
  EXPECT_EQ(mqtt_source::sensor_name("plant/pump1/temp"), "plant.pump1.temp");
  EXPECT_EQ(mqtt_sink::topic_of("shoal/out", "pump1.anomaly"),
            "shoal/out/pump1/anomaly");
  EXPECT_EQ(mqtt_sink::topic_of("", "a.b"), "a/b");
}
