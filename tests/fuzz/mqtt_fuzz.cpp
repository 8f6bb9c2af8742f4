// Fuzzes the MQTT payload parser (runtime/io/mqtt_payload): the input is one
// payload, JSON, msgpack or a bare number. What parses with a finite value
// must survive the round trip through the payload the MQTT sink publishes
// (as a number: -0 comes back as 0, since JSON "-0" reads as the integer 0).
// The same bytes then go through the other payload formats (mqtt_decoder:
// json, telegraf, sparkplug_b, and the value format with other timestamp
// units), which must not crash, and must give a sample or a problem for
// every format that reads one value.

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "runtime/io/mqtt_decoder.hpp"
#include "runtime/io/mqtt_payload.hpp"

using namespace shoal;

namespace {

void decode_as(mqtt_payload_format format, ts_unit unit, std::string_view topic,
               std::string_view payload) {
  mqtt_payload_options opts;
  opts.format = format;
  opts.unit = unit;
  opts.tags = {"host"};
  mqtt_decoder decoder{opts};
  mqtt_decoded out;
  decoder.decode(topic, payload, 1'700'000'000'000'000'000, out);
  if (format == mqtt_payload_format::value
      && out.samples.size() + out.problems.size() != 1)
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view payload{reinterpret_cast<const char*>(data), size};
  constexpr int64_t arrival = 1'700'000'000'000'000'000;
  decode_as(mqtt_payload_format::value, ts_unit::s, "a/b", payload);
  decode_as(mqtt_payload_format::value, ts_unit::rfc3339, "a/b", payload);
  decode_as(mqtt_payload_format::json, ts_unit::ms, "a/b", payload);
  decode_as(mqtt_payload_format::telegraf, ts_unit::s, "a/b", payload);
  decode_as(mqtt_payload_format::sparkplug_b, ts_unit::ns, "spBv1.0/g/NBIRTH/e",
            payload);
  decode_as(mqtt_payload_format::sparkplug_b, ts_unit::ns,
            "spBv1.0/g/DDATA/e/d", payload);
  auto p = parse_mqtt_payload(payload, arrival);
  if (!p || !std::isfinite(p->value))
    return 0;
  auto back = parse_mqtt_payload(format_mqtt_payload(*p), arrival - 1);
  if (!back || back->ts != p->ts || back->value != p->value)
    std::abort();
  return 0;
}
