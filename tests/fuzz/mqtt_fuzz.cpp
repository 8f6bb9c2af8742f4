// Fuzzes the MQTT payload parser (runtime/io/mqtt_payload): the input is one
// payload, JSON, msgpack or a bare number. What parses with a finite value
// must survive the round trip through the payload the MQTT sink publishes
// (as a number: -0 comes back as 0, since JSON "-0" reads as the integer 0).

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "runtime/io/mqtt_payload.hpp"

using namespace shoal;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view payload{reinterpret_cast<const char*>(data), size};
  constexpr int64_t arrival = 1'700'000'000'000'000'000;
  auto p = parse_mqtt_payload(payload, arrival);
  if (!p || !std::isfinite(p->value))
    return 0;
  auto back = parse_mqtt_payload(format_mqtt_payload(*p), arrival - 1);
  if (!back || back->ts != p->ts || back->value != p->value)
    std::abort();
  return 0;
}
