#include "runtime/io/payload_time.hpp"

#include <cmath>
#include <limits>

#include "runtime/core/errc.hpp"
#include "runtime/io/influx_url.hpp"

namespace shoal {

namespace {

int64_t ns_per(ts_unit unit) {
  switch (unit) {
    case ts_unit::us: return 1'000;
    case ts_unit::ms: return 1'000'000;
    case ts_unit::s: return 1'000'000'000;
    default: return 1;
  }
}

caf::error bad(std::string text) {
  return make_error(errc::invalid_input, std::move(text));
}

caf::error out_of_range(const std::string& what, ts_unit unit,
                        const std::string& shown) {
  if (unit == ts_unit::ns)
    return bad(what + " does not fit in an int64");
  return bad(what + " = " + shown + " " + to_string(unit)
             + " does not fit in an int64 of ns");
}

} // namespace

bool scale_to_ns(int64_t count, ts_unit unit, int64_t& ns) {
  return !__builtin_mul_overflow(count, ns_per(unit), &ns);
}

bool scale_to_ns(double count, ts_unit unit, int64_t& ns) {
  if (!std::isfinite(count))
    return false;
  // Whole units and the fraction apart: 1.7e18 ns as one double would be
  // off by up to 128 ns.
  auto whole = std::trunc(count);
  constexpr double limit = 9223372036854775808.0; // 2^63
  if (whole >= limit || whole < -limit)
    return false;
  auto frac = std::llround((count - whole) * static_cast<double>(ns_per(unit)));
  return scale_to_ns(static_cast<int64_t>(whole), unit, ns)
         && !__builtin_add_overflow(ns, static_cast<int64_t>(frac), &ns);
}

caf::error timestamp_type_error(const std::string& what, ts_unit unit,
                                const std::string& type) {
  switch (unit) {
    case ts_unit::ns:
      return bad(what + " must be an integer (ns), not " + type);
    case ts_unit::rfc3339:
      return bad(what + " must be an RFC 3339 string, not " + type);
    default:
      return bad(what + " must be a number (" + to_string(unit) + "), not "
                 + type);
  }
}

caf::expected<int64_t> json_timestamp(const nlohmann::json& x, ts_unit unit,
                                      const std::string& what) {
  int64_t ns = 0;
  if (unit == ts_unit::rfc3339) {
    if (!x.is_string())
      return timestamp_type_error(what, unit, x.type_name());
    const auto& text = x.get_ref<const std::string&>();
    if (!parse_rfc3339(text, ns))
      return bad(what + " is not an RFC 3339 time: '" + text.substr(0, 40)
                 + (text.size() > 40 ? "...'" : "'"));
    return ns;
  }
  if (x.is_number_unsigned()) {
    auto u = x.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())
        || !scale_to_ns(static_cast<int64_t>(u), unit, ns))
      return out_of_range(what, unit, std::to_string(u));
    return ns;
  }
  if (x.is_number_integer()) {
    if (!scale_to_ns(x.get<int64_t>(), unit, ns))
      return out_of_range(what, unit, std::to_string(x.get<int64_t>()));
    return ns;
  }
  if (x.is_number_float() && unit != ts_unit::ns) {
    if (!scale_to_ns(x.get<double>(), unit, ns))
      return out_of_range(what, unit, x.dump());
    return ns;
  }
  return timestamp_type_error(what, unit, x.type_name());
}

} // namespace shoal
