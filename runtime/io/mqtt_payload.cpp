#include "runtime/io/mqtt_payload.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

#include "runtime/core/errc.hpp"
#include "runtime/io/influx_url.hpp"
#include "runtime/io/msgpack_values.hpp"
#include "runtime/io/payload_time.hpp"

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

caf::expected<point> parse_json(std::string_view text, int64_t arrival_ns,
                                const mqtt_payload_options& opts) {
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
  auto ts = doc.find(opts.timestamp_key);
  if (ts != doc.end()) {
    auto ns
      = json_timestamp(*ts, opts.unit, "JSON \"" + opts.timestamp_key + "\"");
    if (!ns)
      return ns.error();
    p.ts = *ns;
  }
  return p;
}

/// The msgpack timestamp `val` read as `opts.unit` says.
caf::error msgpack_timestamp(const msgpack::object& val,
                             const mqtt_payload_options& opts, int64_t& ns) {
  auto what = "msgpack \"" + opts.timestamp_key + "\"";
  auto type_error = [&] {
    return timestamp_type_error(what, opts.unit, msgpack_type_name(val));
  };
  if (opts.unit == ts_unit::rfc3339) {
    std::string text;
    if (!msgpack_string(val, text))
      return type_error();
    if (!parse_rfc3339(text, ns))
      return bad(what + " is not an RFC 3339 time");
    return caf::none;
  }
  int64_t count = 0;
  double real = 0;
  if (msgpack_int64(val, count)) {
    if (!scale_to_ns(count, opts.unit, ns))
      return bad(what + " does not fit in an int64 of ns");
  } else if (opts.unit != ts_unit::ns && val.type == msgpack::type::FLOAT64
             && msgpack_number(val, real)) {
    if (!scale_to_ns(real, opts.unit, ns))
      return bad(what + " does not fit in an int64 of ns");
  } else if (opts.unit == ts_unit::ns) {
    return bad(what + " must be an int64 (ns), not " + msgpack_type_name(val));
  } else {
    return type_error();
  }
  return caf::none;
}

caf::expected<point> parse_msgpack(std::string_view bytes, int64_t arrival_ns,
                                   const mqtt_payload_options& opts) {
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
    if (key == opts.timestamp_key) {
      if (auto err = msgpack_timestamp(val, opts, p.ts))
        return err;
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
  return parse_mqtt_payload(payload, arrival_ns, mqtt_payload_options{});
}

caf::expected<point> parse_mqtt_payload(std::string_view payload,
                                        int64_t arrival_ns,
                                        const mqtt_payload_options& opts) {
  if (!payload.empty() && is_msgpack_map(static_cast<uint8_t>(payload[0])))
    return parse_msgpack(payload, arrival_ns, opts);
  auto text = trim(payload);
  if (text.empty())
    return bad("empty payload");
  if (text.front() == '{')
    return parse_json(text, arrival_ns, opts);
  return parse_bare(text, arrival_ns);
}

std::string format_mqtt_payload(point p) {
  char buf[96];
  auto n = std::snprintf(buf, sizeof(buf), "{\"ts\":%lld,\"value\":%.17g}",
                         static_cast<long long>(p.ts), p.value);
  return std::string(buf, static_cast<size_t>(n));
}

} // namespace shoal
