#include "runtime/io/mqtt_options.hpp"

namespace shoal {

namespace {

constexpr std::string_view format_names[]
  = {"value", "json", "telegraf", "sparkplug_b"};

constexpr std::string_view unit_names[] = {"ns", "us", "ms", "s", "rfc3339"};

} // namespace

const char* to_string(mqtt_payload_format x) {
  return format_names[static_cast<size_t>(x)].data();
}

const char* to_string(ts_unit x) {
  return unit_names[static_cast<size_t>(x)].data();
}

std::optional<mqtt_payload_format> parse_payload_format(std::string_view text) {
  for (size_t i = 0; i < std::size(format_names); ++i)
    if (text == format_names[i])
      return static_cast<mqtt_payload_format>(i);
  return std::nullopt;
}

std::optional<ts_unit> parse_ts_unit(std::string_view text) {
  for (size_t i = 0; i < std::size(unit_names); ++i)
    if (text == unit_names[i])
      return static_cast<ts_unit>(i);
  return std::nullopt;
}

} // namespace shoal
