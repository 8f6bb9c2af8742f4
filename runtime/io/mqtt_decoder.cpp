#include "runtime/io/mqtt_decoder.hpp"

#include "runtime/core/errc.hpp"
#include "runtime/io/mqtt_payload.hpp"

namespace shoal {

mqtt_decoder::mqtt_decoder(mqtt_payload_options opts) : opts_(std::move(opts)) {
  // nop
}

std::string mqtt_decoder::sensor_name(std::string_view topic) {
  std::string name{topic};
  for (auto& c : name)
    if (c == '/')
      c = '.';
  return name;
}

void mqtt_decoder::decode(std::string_view topic, std::string_view payload,
                          int64_t arrival_ns, mqtt_decoded& out) {
  switch (opts_.format) {
    case mqtt_payload_format::value: {
      auto p = parse_mqtt_payload(payload, arrival_ns, opts_);
      if (p)
        out.samples.push_back({sensor_name(topic), p->ts, p->value});
      else
        out.problems.push_back(describe(p.error()));
      return;
    }
    case mqtt_payload_format::json:
      decode_json_fields(payload, sensor_name(topic), opts_, arrival_ns, out);
      return;
    case mqtt_payload_format::telegraf:
      decode_telegraf(payload, opts_, arrival_ns, out);
      return;
    case mqtt_payload_format::sparkplug_b:
      sparkplug_.decode(topic, payload, arrival_ns, out);
      return;
  }
}

} // namespace shoal
