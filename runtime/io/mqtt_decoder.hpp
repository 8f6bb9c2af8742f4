// Turning one MQTT message into samples, in the payload format a source is
// configured with (docs/io.md, "Payloads").
//
// - value (the default): one sample of sensor `sensor_name(topic)` per
//   message, as `parse_mqtt_payload` reads it;
// - json, telegraf: several samples per message (json_payloads.hpp);
// - sparkplug_b: the metrics of Sparkplug B NBIRTH, NDATA, DBIRTH and DDATA
//   messages (sparkplug_reader.hpp), which keeps each edge node's
//   metric aliases from its last birth certificates.
// What cannot be read becomes one or more problem texts, each counted as
// `malformed` by the source. Not thread-safe: one decoder per source,
// called on that source's network thread.

#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/io/json_payloads.hpp"
#include "runtime/io/mqtt_options.hpp"
#include "runtime/io/sparkplug_reader.hpp"

namespace shoal {

class mqtt_decoder {
public:
  explicit mqtt_decoder(mqtt_payload_options opts);

  /// Appends what the message `payload` on `topic`, received at
  /// `arrival_ns`, holds to `out`.
  void decode(std::string_view topic, std::string_view payload,
              int64_t arrival_ns, mqtt_decoded& out);

  const mqtt_payload_options& options() const {
    return opts_;
  }

  /// The sensor name of a topic: '/' read as '.'.
  static std::string sensor_name(std::string_view topic);

private:
  mqtt_payload_options opts_;
  sparkplug_reader sparkplug_;
};

} // namespace shoal
