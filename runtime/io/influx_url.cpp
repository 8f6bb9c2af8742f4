#include "runtime/io/influx_url.hpp"

#include <tuple>

#include "runtime/core/errc.hpp"

namespace shoal {

namespace {

constexpr std::string_view scheme = "influxdb://";

/// Days from 1970-01-01 to the civil date y-m-d (proleptic Gregorian).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  auto era = (y >= 0 ? y : y - 399) / 400;
  auto yoe = static_cast<unsigned>(y - era * 400);
  auto doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  auto doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool is_leap(int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/// Reads exactly `n` digits at `pos` of `s` into `out`.
bool digits(std::string_view s, size_t& pos, size_t n, int64_t& out) {
  if (pos + n > s.size())
    return false;
  out = 0;
  for (size_t i = 0; i < n; ++i) {
    auto c = s[pos + i];
    if (c < '0' || c > '9')
      return false;
    out = out * 10 + (c - '0');
  }
  pos += n;
  return true;
}

bool expect(std::string_view s, size_t& pos, char c) {
  if (pos >= s.size() || (s[pos] != c && s[pos] != (c | 0x20)))
    return false;
  ++pos;
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/// Decodes %XX escapes; false on a bad one. A '+' stays a '+', so that
/// a time offset such as "+02:00" may be written as it is.
bool percent_decode(std::string_view in, std::string& out) {
  out.clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
    } else {
      if (i + 2 >= in.size())
        return false;
      auto hi = hex_value(in[i + 1]);
      auto lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0)
        return false;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    }
  }
  return true;
}

} // namespace

bool parse_rfc3339(std::string_view s, int64_t& ns) {
  size_t pos = 0;
  int64_t y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!digits(s, pos, 4, y) || !expect(s, pos, '-') || !digits(s, pos, 2, mo)
      || !expect(s, pos, '-') || !digits(s, pos, 2, d) || !expect(s, pos, 'T')
      || !digits(s, pos, 2, h) || !expect(s, pos, ':') || !digits(s, pos, 2, mi)
      || !expect(s, pos, ':') || !digits(s, pos, 2, sec))
    return false;
  static constexpr int month_days[]
    = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 60)
    return false;
  if (d > month_days[mo - 1] + (mo == 2 && is_leap(y) ? 1 : 0))
    return false;
  int64_t frac = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t n = 0;
    for (; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos, ++n)
      if (n < 9)
        frac = frac * 10 + (s[pos] - '0');
    if (n == 0)
      return false;
    for (; n < 9; ++n)
      frac *= 10;
  }
  int64_t offset_min = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int64_t sign = s[pos] == '-' ? -1 : 1;
    ++pos;
    int64_t oh = 0, om = 0;
    if (!digits(s, pos, 2, oh) || !expect(s, pos, ':') || !digits(s, pos, 2, om)
        || oh > 23 || om > 59)
      return false;
    offset_min = sign * (oh * 60 + om);
  } else {
    return false;
  }
  if (pos != s.size())
    return false;
  // A leap second reads as the first second of the next minute.
  auto secs
    = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d))
        * 86400
      + h * 3600 + mi * 60 + sec - offset_min * 60;
  // int64 nanoseconds span 1677-09-21 to 2262-04-11.
  constexpr int64_t max_secs = INT64_MAX / 1'000'000'000;
  if (secs > max_secs || secs < -max_secs - 1)
    return false;
  int64_t out = 0;
  if (__builtin_mul_overflow(secs, int64_t{1'000'000'000}, &out)
      || __builtin_add_overflow(out, frac, &out))
    return false;
  ns = out;
  return true;
}

bool is_influx_url(std::string_view text) {
  return text.substr(0, scheme.size()) == scheme;
}

caf::expected<influx_url> parse_influx_url(std::string_view text) {
  auto bad = [&](const std::string& why) {
    return make_error(errc::invalid_input,
                      "'" + std::string{text} + "': " + why);
  };
  constexpr const char* form = "influxdb://HOST[:PORT]/DB?measurement=M&"
                               "start=RFC3339&end=RFC3339";
  if (!is_influx_url(text))
    return bad(std::string{"is not an InfluxDB URL ("} + form + ")");
  auto rest = text.substr(scheme.size());
  auto slash = rest.find('/');
  if (slash == std::string_view::npos)
    return bad(std::string{"names no database ("} + form + ")");
  // Without a port, InfluxDB's own.
  std::string authority{rest.substr(0, slash)};
  if (authority.find(':') == std::string::npos || authority.back() == ']')
    authority += ":8086";
  auto server = parse_host_port(authority);
  if (!server)
    return bad(describe(server.error()));
  if (server->port == 0)
    return bad("has no valid port (1 to 65535)");
  influx_url url;
  url.text = std::string{text};
  url.server = std::move(*server);
  rest = rest.substr(slash + 1);
  auto question = rest.find('?');
  if (!percent_decode(rest.substr(0, question), url.database)
      || url.database.empty() || url.database.find('/') != std::string::npos)
    return bad(std::string{"names no database ("} + form + ")");
  auto query = question == std::string_view::npos ? std::string_view{}
                                                  : rest.substr(question + 1);
  std::string start;
  std::string end;
  while (!query.empty()) {
    auto amp = query.find('&');
    auto pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{}
                                          : query.substr(amp + 1);
    if (pair.empty())
      continue;
    auto eq = pair.find('=');
    auto key = pair.substr(0, eq);
    std::string value;
    if (eq == std::string_view::npos
        || !percent_decode(pair.substr(eq + 1), value))
      return bad("parameter '" + std::string{key} + "' has no valid value");
    std::string* slot = key == "measurement" ? &url.measurement
                        : key == "start"     ? &start
                        : key == "end"       ? &end
                                             : nullptr;
    if (slot == nullptr)
      return bad("unknown parameter '" + std::string{key}
                 + "' (known: measurement, start, end)");
    *slot = std::move(value);
  }
  if (url.measurement.empty())
    return bad("missing parameter 'measurement'");
  for (auto [name, value, out] : {std::tuple{"start", &start, &url.start_ns},
                                  std::tuple{"end", &end, &url.end_ns}}) {
    if (value->empty())
      return bad(std::string{"missing parameter '"} + name + "' (RFC 3339)");
    if (!parse_rfc3339(*value, *out))
      return bad(std::string{"'"} + name + "' is not an RFC 3339 time: '"
                 + *value + "'");
  }
  if (url.start_ns >= url.end_ns)
    return bad("'start' (" + start + ") must be before 'end' (" + end + ")");
  return url;
}

} // namespace shoal
