#include "runtime/io/mqtt_payload.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

#include "runtime/core/errc.hpp"
#include "runtime/io/msgpack_values.hpp"

namespace shoal {

namespace {

caf::error bad(std::string text) {
  return make_error(errc::invalid_input, std::move(text));
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trim(std::string_view x) {
  while (!x.empty() && is_space(x.front()))
    x.remove_prefix(1);
  while (!x.empty() && is_space(x.back()))
    x.remove_suffix(1);
  return x;
}

/// Whether the first byte opens a msgpack map (fixmap, map 16, map 32).
bool is_msgpack_map(unsigned char c) {
  return (c & 0xf0) == 0x80 || c == 0xde || c == 0xdf;
}

caf::expected<point> parse_json(std::string_view text, int64_t arrival_ns) {
  auto doc = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded())
    return bad("payload is not valid JSON");
  point p{arrival_ns, 0};
  auto value = doc.find("value");
  if (value == doc.end())
    return bad("JSON payload has no \"value\"");
  if (!value->is_number())
    return bad("JSON \"value\" must be a number, not "
               + std::string{value->type_name()});
  p.value = value->get<double>();
  auto ts = doc.find("ts");
  if (ts != doc.end()) {
    if (ts->is_number_unsigned()) {
      if (ts->get<uint64_t>()
          > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
        return bad("JSON \"ts\" does not fit in an int64");
      p.ts = ts->get<int64_t>();
    } else if (ts->is_number_integer()) {
      p.ts = ts->get<int64_t>();
    } else {
      return bad("JSON \"ts\" must be an integer (ns), not "
                 + std::string{ts->type_name()});
    }
  }
  return p;
}

caf::expected<point> parse_msgpack(std::string_view bytes, int64_t arrival_ns) {
  msgpack::object_handle oh;
  size_t offset = 0;
  try {
    // Tight limits: a payload is one small map.
    msgpack::unpack(oh, bytes.data(), bytes.size(), offset, nullptr, nullptr,
                    msgpack::unpack_limit(16, 16, 256, 256, 256, 2));
  } catch (const std::exception& ex) {
    return bad(std::string{"payload is not valid msgpack: "} + ex.what());
  }
  if (offset != bytes.size())
    return bad("msgpack payload has trailing bytes");
  const auto& map = oh.get().via.map;
  point p{arrival_ns, 0};
  bool has_value = false;
  for (uint32_t i = 0; i < map.size; ++i) {
    std::string key;
    if (!msgpack_string(map.ptr[i].key, key))
      continue;
    const auto& val = map.ptr[i].val;
    if (key == "ts") {
      if (!msgpack_int64(val, p.ts))
        return bad(std::string{"msgpack \"ts\" must be an int64 (ns), not "}
                   + msgpack_type_name(val));
    } else if (key == "value") {
      if (!msgpack_number(val, p.value))
        return bad(std::string{"msgpack \"value\" must be a number, not "}
                   + msgpack_type_name(val));
      has_value = true;
    }
  }
  if (!has_value)
    return bad("msgpack payload has no \"value\"");
  return p;
}

caf::expected<point> parse_bare(std::string_view text, int64_t arrival_ns) {
  auto x = text;
  if (!x.empty() && x.front() == '+')
    x.remove_prefix(1);
  double value = 0;
  auto last = x.data() + x.size();
  auto [ptr, ec] = std::from_chars(x.data(), last, value);
  if (x.empty() || ptr != last
      || (ec != std::errc{} && ec != std::errc::result_out_of_range)) {
    std::string shown{text.substr(0, 32)};
    for (auto& c : shown)
      if (static_cast<unsigned char>(c) < 0x20
          || static_cast<unsigned char>(c) > 0x7e)
        c = '?';
    return bad("payload is not JSON, msgpack or a number: '" + shown
               + (text.size() > 32 ? "...'" : "'"));
  }
  if (ec == std::errc::result_out_of_range)
    value = std::strtod(std::string{x}.c_str(), nullptr);
  return point{arrival_ns, value};
}

} // namespace

caf::expected<point> parse_mqtt_payload(std::string_view payload,
                                        int64_t arrival_ns) {
  if (!payload.empty() && is_msgpack_map(static_cast<uint8_t>(payload[0])))
    return parse_msgpack(payload, arrival_ns);
  auto text = trim(payload);
  if (text.empty())
    return bad("empty payload");
  if (text.front() == '{')
    return parse_json(text, arrival_ns);
  return parse_bare(text, arrival_ns);
}

std::string format_mqtt_payload(point p) {
  char buf[96];
  auto n = std::snprintf(buf, sizeof(buf), "{\"ts\":%lld,\"value\":%.17g}",
                         static_cast<long long>(p.ts), p.value);
  return std::string(buf, static_cast<size_t>(n));
}

} // namespace shoal
