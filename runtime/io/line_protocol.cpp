#include "runtime/io/line_protocol.hpp"

#include <charconv>
#include <cmath>

namespace shoal {

namespace {

std::string escape(std::string_view text, std::string_view special) {
  std::string out;
  out.reserve(text.size());
  for (auto c : text) {
    if (c == '\n' || c == '\r') {
      out += "\\ ";
      continue;
    }
    if (special.find(c) != std::string_view::npos)
      out += '\\';
    out += c;
  }
  return out;
}

} // namespace

std::string escape_measurement(std::string_view name) {
  return escape(name, ", ");
}

std::string escape_tag(std::string_view value) {
  return escape(value, ",= ");
}

std::string line_prefix(std::string_view measurement, std::string_view node) {
  return escape_measurement(measurement) + ",node=" + escape_tag(node)
         + " value=";
}

bool append_line(std::string& out, const std::string& prefix, int64_t ts,
                 double value) {
  if (!std::isfinite(value))
    return false;
  // The shortest text that reads back as the same double; with no '.' or
  // exponent InfluxDB still reads it as a float (integers end in 'i').
  char tmp[64];
  auto end = tmp + sizeof(tmp);
  auto p = std::to_chars(tmp, end, value).ptr;
  *p++ = ' ';
  p = std::to_chars(p, end, ts).ptr;
  *p++ = '\n';
  out += prefix;
  out.append(tmp, p);
  return true;
}

} // namespace shoal
