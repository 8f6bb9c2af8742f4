// Reading the JSON payload formats that carry several values per message:
// "json" (one object of fields) and "telegraf" (Telegraf's JSON output).
//
// json: `{"ts": 1700000000000000000, "temp": 71.5, "amps": 3.2}` on topic
// `plant/pump1` gives sensors `plant.pump1.temp` and `plant.pump1.amps`
// (`prefix` is the topic's sensor name). Numbers are values, booleans 0 and
// 1; nested objects add their keys after a '.' (`{"motor": {"rpm": 1}}`:
// `<prefix>.motor.rpm`, at most 8 levels deep); strings, nulls and arrays
// are not values and are ignored, as other keys always were. An object
// without any value is malformed.
//
// telegraf: `{"fields": {...}, "name": "cpu", "tags": {...}, "timestamp":
// 1700000000}` or a batch `{"metrics": [...]}` (Telegraf's
// `json_transformation` unset, `json_timestamp_units` as the source's
// `timestamp_unit`). Each field is sensor `<name>.<field>`, with the values
// of the configured tags in between (`tags = ["host"]`:
// `cpu.h1.usage_idle`; a tag a metric lacks is left out). Fields are read as
// in json. A bad metric of a batch is one problem; the others are kept.
//
// Both append samples and problems (texts naming the key or field) to
// `out`; a missing timestamp means the arrival time. Pure.

#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/io/mqtt_options.hpp"
#include "runtime/io/sample_inbox.hpp"

namespace shoal {

/// What one MQTT message gave: samples, and why parts of it (or all of it)
/// were not taken, one `malformed` each.
struct mqtt_decoded {
  std::vector<inbox_sample> samples;
  std::vector<std::string> problems;

  void clear() {
    samples.clear();
    problems.clear();
  }
};

/// Reads a payload of format json, its sensors named after `prefix`.
void decode_json_fields(std::string_view text, const std::string& prefix,
                        const mqtt_payload_options& opts, int64_t arrival_ns,
                        mqtt_decoded& out);

/// Reads a payload of format telegraf.
void decode_telegraf(std::string_view text, const mqtt_payload_options& opts,
                     int64_t arrival_ns, mqtt_decoded& out);

} // namespace shoal
