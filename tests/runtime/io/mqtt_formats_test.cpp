// The payload formats of an MQTT source (mqtt_decoder): the timestamp key
// and unit of the default format, several values per JSON object, and
// Telegraf's JSON output, with exact samples and the reasons of malformed
// payloads.

#include <gtest/gtest.h>
#include <msgpack.hpp>

#include "runtime/core/errc.hpp"
#include "runtime/io/mqtt_decoder.hpp"
#include "tests/support/mqtt_lines.hpp"

using namespace shoal;
using shoal::test_support::lines;

namespace {

constexpr int64_t arrival = 1'700'000'000'000'000'000;

mqtt_payload_options options(mqtt_payload_format format, std::string key = "ts",
                             ts_unit unit = ts_unit::ns,
                             std::vector<std::string> tags = {}) {
  mqtt_payload_options opts;
  opts.format = format;
  opts.timestamp_key = std::move(key);
  opts.unit = unit;
  opts.tags = std::move(tags);
  return opts;
}

mqtt_decoded decode(const mqtt_payload_options& opts, std::string_view topic,
                    std::string_view payload) {
  mqtt_decoder dec{opts};
  mqtt_decoded out;
  dec.decode(topic, payload, arrival, out);
  return out;
}

using strings = std::vector<std::string>;

} // namespace

TEST(MqttFormats, ValueFormatReadsTheConfiguredKeyAndUnit) {
  auto value = mqtt_payload_format::value;
  auto topic = "plant/pump1/temp";
  EXPECT_EQ(lines(decode(options(value), topic, R"({"ts": 5, "value": 1.5})")),
            strings{"plant.pump1.temp 5 1.5"});
  EXPECT_EQ(lines(decode(options(value, "time", ts_unit::s), topic,
                         R"({"time": 1700000000, "value": 2})")),
            strings{"plant.pump1.temp 1700000000000000000 2"});
  EXPECT_EQ(lines(decode(options(value, "time", ts_unit::ms), topic,
                         R"({"time": 1700000000123.5, "value": 2})")),
            strings{"plant.pump1.temp 1700000000123500000 2"});
  EXPECT_EQ(lines(decode(options(value, "t", ts_unit::us), topic,
                         R"({"t": 1700000000123456, "value": 2})")),
            strings{"plant.pump1.temp 1700000000123456000 2"});
  EXPECT_EQ(
    lines(decode(options(value, "ts", ts_unit::rfc3339), topic,
                 R"({"ts": "2023-11-14T22:13:20.5+01:00", "value": 2})")),
    strings{"plant.pump1.temp 1699996400500000000 2"});
  // The old key is an ordinary key once another one is configured.
  EXPECT_EQ(lines(decode(options(value, "time", ts_unit::s), topic,
                         R"({"ts": 5, "value": 3})")),
            strings{"plant.pump1.temp 1700000000000000000 3"});
  // msgpack maps read the same key and unit.
  msgpack::sbuffer buf;
  msgpack::packer<msgpack::sbuffer> pk{buf};
  pk.pack_map(2);
  pk.pack(std::string{"time"});
  pk.pack(1700000001);
  pk.pack(std::string{"value"});
  pk.pack(4.25);
  EXPECT_EQ(lines(decode(options(value, "time", ts_unit::s), topic,
                         std::string_view{buf.data(), buf.size()})),
            strings{"plant.pump1.temp 1700000001000000000 4.25"});
}

TEST(MqttFormats, BadTimestampsNameTheKeyAndUnit) {
  auto value = mqtt_payload_format::value;
  auto topic = "a";
  EXPECT_EQ(lines(decode(options(value), topic, R"({"ts": 1.5, "value": 1})")),
            strings{"! JSON \"ts\" must be an integer (ns), not number"});
  EXPECT_EQ(lines(decode(options(value, "time", ts_unit::s), topic,
                         R"({"time": "soon", "value": 1})")),
            strings{"! JSON \"time\" must be a number (s), not string"});
  EXPECT_EQ(lines(decode(options(value, "time", ts_unit::s), topic,
                         R"({"time": 1e300, "value": 1})")),
            strings{"! JSON \"time\" = 1e+300 s does not fit in an int64 of "
                    "ns"});
  EXPECT_EQ(lines(decode(options(value, "time", ts_unit::ms), topic,
                         R"({"time": 9223372036854775807, "value": 1})")),
            strings{"! JSON \"time\" = 9223372036854775807 ms does not fit in "
                    "an int64 of ns"});
  EXPECT_EQ(lines(decode(options(value, "ts", ts_unit::rfc3339), topic,
                         R"({"ts": 1700000000, "value": 1})")),
            strings{"! JSON \"ts\" must be an RFC 3339 string, not number"});
  EXPECT_EQ(lines(decode(options(value, "ts", ts_unit::rfc3339), topic,
                         R"({"ts": "2023-11-14 22:13:20", "value": 1})")),
            strings{"! JSON \"ts\" is not an RFC 3339 time: '2023-11-14 "
                    "22:13:20'"});
}

TEST(MqttFormats, JsonGivesASensorPerField) {
  auto json = mqtt_payload_format::json;
  EXPECT_EQ(lines(decode(options(json), "plant/pump1",
                         R"({"ts": 7, "temp": 71.5, "amps": 3.2})")),
            (strings{"plant.pump1.amps 7 3.2000000000000002",
                     "plant.pump1.temp 7 71.5"}));
  // Booleans are 0 and 1, nested objects add their keys, strings, nulls and
  // arrays are ignored; no timestamp means the arrival time.
  EXPECT_EQ(lines(decode(options(json), "hall/m1",
                         R"({"running": true, "jammed": false,
                             "motor": {"rpm": 1500, "bearing": {"temp": 40}},
                             "unit": "degC", "note": null, "raw": [1, 2]})")),
            (strings{"hall.m1.jammed 1700000000000000000 0",
                     "hall.m1.motor.bearing.temp 1700000000000000000 40",
                     "hall.m1.motor.rpm 1700000000000000000 1500",
                     "hall.m1.running 1700000000000000000 1"}));
  EXPECT_EQ(lines(decode(options(json, "time", ts_unit::ms), "p",
                         R"({"time": 1700000000000, "v": -1})")),
            strings{"p.v 1700000000000000000 -1"});
}

TEST(MqttFormats, MalformedJsonSaysWhy) {
  auto json = mqtt_payload_format::json;
  EXPECT_EQ(lines(decode(options(json), "p", "{\"temp\": ")),
            strings{"! payload is not valid JSON"});
  EXPECT_EQ(lines(decode(options(json), "p", "71.5")),
            strings{"! JSON payload must be an object, not number"});
  EXPECT_EQ(lines(decode(options(json), "p", R"({"ts": 5, "unit": "degC"})")),
            strings{"! JSON payload has no number or boolean field"});
  EXPECT_EQ(lines(decode(options(json), "p", R"({"ts": "x", "temp": 1})")),
            strings{"! JSON \"ts\" must be an integer (ns), not string"});
}

TEST(MqttFormats, TelegrafMetricAndBatch) {
  auto telegraf
    = options(mqtt_payload_format::telegraf, "timestamp", ts_unit::s);
  EXPECT_EQ(lines(decode(telegraf, "telegraf/h1/cpu",
                         R"({"fields": {"usage_idle": 98.5, "usage_user": 1},
                             "name": "cpu",
                             "tags": {"cpu": "cpu-total", "host": "h1"},
                             "timestamp": 1700000000})")),
            (strings{"cpu.usage_idle 1700000000000000000 98.5",
                     "cpu.usage_user 1700000000000000000 1"}));
  // Configured tags go between the name and the field, in their order; a
  // tag a metric lacks is left out. A bad metric of a batch is one problem.
  telegraf.tags = {"host", "cpu"};
  EXPECT_EQ(lines(decode(telegraf, "telegraf",
                         R"({"metrics": [
      {"fields": {"usage_idle": 97}, "name": "cpu",
       "tags": {"cpu": "cpu0", "host": "h1"}, "timestamp": 1700000001},
      {"fields": {"used_percent": 41.5}, "name": "mem",
       "tags": {"host": "h1"}, "timestamp": 1700000002},
      {"fields": {"x": 1}, "tags": {}},
      {"fields": {"ok": true}, "name": "up"}]})")),
            (strings{"cpu.h1.cpu0.usage_idle 1700000001000000000 97",
                     "mem.h1.used_percent 1700000002000000000 41.5",
                     "up.ok 1700000000000000000 1",
                     "! Telegraf metric #3 has no \"name\""}));
}

TEST(MqttFormats, MalformedTelegrafSaysWhy) {
  auto telegraf
    = options(mqtt_payload_format::telegraf, "timestamp", ts_unit::s);
  EXPECT_EQ(lines(decode(telegraf, "t", R"({"name": "cpu"})")),
            strings{"! Telegraf metric \"cpu\" has no \"fields\" object"});
  EXPECT_EQ(lines(decode(telegraf, "t", R"({"name": 3, "fields": {}})")),
            strings{"! Telegraf metric \"name\" must be a string, not number"});
  EXPECT_EQ(lines(decode(telegraf, "t",
                         R"({"name": "cpu", "fields": {"host": "h1"}})")),
            strings{"! Telegraf metric \"cpu\" has no number or boolean "
                    "field"});
  EXPECT_EQ(lines(decode(telegraf, "t",
                         R"({"name": "cpu", "fields": {"a": 1},
                             "timestamp": "now"})")),
            strings{"! Telegraf metric \"cpu\": \"timestamp\" must be a number "
                    "(s), not string"});
  EXPECT_EQ(lines(decode(telegraf, "t", R"({"metrics": {}})")),
            strings{"! Telegraf \"metrics\" must be an array, not object"});
  EXPECT_EQ(lines(decode(telegraf, "t", R"({"metrics": [7]})")),
            strings{"! Telegraf metric #1 must be an object, not number"});
  // Telegraf's json_timestamp_units = "1ms" with timestamp_unit = "ms".
  telegraf.unit = ts_unit::ms;
  EXPECT_EQ(lines(decode(telegraf, "t",
                         R"({"name": "disk", "fields": {"free": 10},
                             "timestamp": 1700000000123})")),
            strings{"disk.free 1700000000123000000 10"});
}
