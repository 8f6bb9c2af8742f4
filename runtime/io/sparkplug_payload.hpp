// Decoding the protobuf bytes of a Sparkplug B payload, by hand.
//
// Only what samples need is read from the `Payload` message of Eclipse
// Sparkplug B's sparkplug_b.proto: timestamp (1), metrics (2) and seq (3);
// of each `Metric`: name (1), alias (2), timestamp (3), datatype (4),
// is_null (7) and the values int_value (10), long_value (11), float_value
// (12), double_value (13) and boolean_value (14). Other fields (strings,
// bytes, datasets, templates, metadata, properties) are skipped by their
// wire type, so a payload that carries them still decodes. The protobuf
// wire format is small enough to read directly, which spares the build a
// protoc step; the tests check it against payloads made by the real
// protobuf library. Malformed bytes (a truncated varint or field, a group
// wire type) are an `errc::invalid_input` error. Pure.

#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "caf/expected.hpp"

namespace shoal {

/// Sparkplug B data types (sparkplug_b.proto, `DataType`) that carry a
/// number; the others are not read as values.
enum class sparkplug_type : uint32_t {
  int8 = 1,
  int16 = 2,
  int32 = 3,
  int64 = 4,
  uint8 = 5,
  uint16 = 6,
  uint32 = 7,
  uint64 = 8,
  float32 = 9,
  float64 = 10,
  boolean = 11,
};

struct sparkplug_metric {
  std::string name;
  bool has_name = false;
  uint64_t alias = 0;
  bool has_alias = false;
  /// ms since the epoch, when `has_timestamp`.
  uint64_t timestamp = 0;
  bool has_timestamp = false;
  uint32_t datatype = 0;
  bool is_null = false;
  /// The value as a double, when `has_value` (a numeric datatype with one of
  /// the numeric value fields set).
  double value = 0;
  bool has_value = false;
};

struct sparkplug_payload {
  uint64_t timestamp = 0;
  bool has_timestamp = false;
  uint64_t seq = 0;
  std::vector<sparkplug_metric> metrics;
};

caf::expected<sparkplug_payload> parse_sparkplug(std::string_view bytes);

} // namespace shoal
