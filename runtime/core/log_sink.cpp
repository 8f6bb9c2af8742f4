#include "runtime/core/log_sink.hpp"

#include <cstdarg>
#include <cstdio>

namespace shoal {

void stderr_log_sink::write(log_level, const std::string& line) {
  std::fprintf(stderr, "%s\n", line.c_str());
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
