#include "runtime/core/log_sink.hpp"

#include <cstdarg>
#include <cstdio>
#include <ctime>

namespace shoal {

namespace {

/// What configure_stderr_log set: plain lines until a member turns logfmt
/// on.
struct stderr_format {
  bool logfmt = false;
  std::string member;
  log_level least = log_level::debug;
};

stderr_format& format() {
  static stderr_format instance;
  return instance;
}

const char* level_name(log_level level) {
  switch (level) {
    case log_level::debug: return "debug";
    case log_level::info: return "info";
    case log_level::warning: return "warn";
    case log_level::error: return "error";
  }
  return "info";
}

/// `text` as a logfmt value.
std::string logfmt_value(const std::string& text) {
  bool quote = text.empty();
  for (char c : text)
    quote = quote || c == ' ' || c == '"' || c == '=' || c == '\\'
            || static_cast<unsigned char>(c) < 0x20;
  if (!quote)
    return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      out += '\\';
    out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
  }
  return out + "\"";
}

} // namespace

std::optional<log_level> parse_log_level(std::string_view text) {
  if (text == "debug")
    return log_level::debug;
  if (text == "info")
    return log_level::info;
  if (text == "warn" || text == "warning")
    return log_level::warning;
  if (text == "error")
    return log_level::error;
  return std::nullopt;
}

void configure_stderr_log(std::string member, log_level least) {
  auto& f = format();
  f.logfmt = true;
  f.member = std::move(member);
  f.least = least;
}

std::string logfmt_line(std::chrono::system_clock::time_point ts,
                        log_level level, const std::string& member,
                        const std::string& msg) {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(ts.time_since_epoch()).count();
  auto secs = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&secs, &utc);
  char stamp[40];
  std::strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &utc);
  char line_start[96];
  std::snprintf(line_start, sizeof(line_start), "ts=%s.%03dZ level=%s", stamp,
                static_cast<int>(ms % 1000), level_name(level));
  std::string line = line_start;
  if (!member.empty())
    line += " member=" + logfmt_value(member);
  return line + " msg=" + logfmt_value(msg);
}

std::string logfmt_fields(const log_fields& fields) {
  std::string out;
  for (auto& [key, value] : fields)
    out += " " + key + "=" + logfmt_value(value);
  return out;
}

void stderr_log_sink::write(log_level level, const std::string& line) {
  write_event(level, line, {});
}

void stderr_log_sink::write_event(log_level level, const std::string& line,
                                  const log_fields& fields) {
  auto& f = format();
  if (!f.logfmt) {
    std::fprintf(stderr, "%s%s\n", line.c_str(), logfmt_fields(fields).c_str());
    return;
  }
  if (level < f.least)
    return;
  // The tool's name says nothing in a member's own log.
  std::string_view msg = line;
  if (msg.rfind("shoal-node: ", 0) == 0)
    msg.remove_prefix(12);
  auto out = logfmt_line(std::chrono::system_clock::now(), level, f.member,
                         std::string{msg})
             + logfmt_fields(fields);
  std::fprintf(stderr, "%s\n", out.c_str());
}

void captured_log::write(log_level level, const std::string& line) {
  std::lock_guard<std::mutex> guard{mtx_};
  lines_.emplace_back(level, line);
}

std::vector<captured_log::entry> captured_log::lines() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return lines_;
}

log_sink& stderr_log() {
  static stderr_log_sink instance;
  return instance;
}

void logf(log_sink& sink, log_level level, const char* fmt, ...) {
  char buf[512];
  va_list args;
  va_start(args, fmt);
  va_list again;
  va_copy(again, args);
  auto n = std::vsnprintf(buf, sizeof(buf), fmt, args);
  va_end(args);
  if (n < 0) {
    va_end(again);
    return;
  }
  if (static_cast<size_t>(n) < sizeof(buf)) {
    va_end(again);
    sink.write(level, std::string(buf, static_cast<size_t>(n)));
    return;
  }
  // A long line (a node's error text): format again into its full size.
  std::string line(static_cast<size_t>(n), '\0');
  std::vsnprintf(line.data(), line.size() + 1, fmt, again);
  va_end(again);
  sink.write(level, line);
}

} // namespace shoal
