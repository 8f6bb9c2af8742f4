// Where the actors' messages for people go: lines with a level.
//
// Actors that report something to whoever runs the process (a member that
// joined, a node moved without its state) write a line to the `log_sink`
// handed to them in their options instead of to stderr, so that a test can
// capture the lines. `stderr_log()` is the process's sink and the default:
// it writes each line to stderr as the actors used to, level not shown,
// until `configure_stderr_log` turns on logfmt for a cluster member: then
// each event is one line `ts=2026-12-05T04:12:00.123Z level=info member=n1
// msg="n2 joined"` (journald and Loki read its keys), and lines below the
// configured level are dropped. `captured_log` keeps the lines for tests.
// Both are thread-safe (actors write from any scheduler thread);
// `configure_stderr_log` is called once, before anything logs. Whoever hands
// a sink to an actor keeps it alive for as long as the actor runs.

#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shoal {

enum class log_level {
  debug,
  info,
  warning,
  error,
};

/// A logfmt key and its value (`reason=late`), for `write_event`.
using log_field = std::pair<std::string, std::string>;
using log_fields = std::vector<log_field>;

/// `fields` as logfmt: ` key=value` each, values quoted as `msg` is.
std::string logfmt_fields(const log_fields& fields);

/// Receives whole lines, without their newline.
class log_sink {
public:
  virtual ~log_sink() = default;

  virtual void write(log_level level, const std::string& line) = 0;

  /// A line with keys a log reader can select on; by default written as
  /// `line` followed by `logfmt_fields(fields)`.
  virtual void write_event(log_level level, const std::string& line,
                           const log_fields& fields) {
    write(level, line + logfmt_fields(fields));
  }
};

/// Writes each line to stderr with one call, so lines of several threads
/// do not mix.
class stderr_log_sink final : public log_sink {
public:
  void write(log_level level, const std::string& line) override;

  /// In logfmt, the fields follow `msg` as keys of their own.
  void write_event(log_level level, const std::string& line,
                   const log_fields& fields) override;
};

/// Keeps every line, for tests.
class captured_log final : public log_sink {
public:
  using entry = std::pair<log_level, std::string>;

  void write(log_level level, const std::string& line) override;

  /// The lines so far, in the order written.
  std::vector<entry> lines() const;

private:
  mutable std::mutex mtx_;
  std::vector<entry> lines_;
};

/// The stderr sink of this process, the default of every actor that logs.
log_sink& stderr_log();

/// "debug", "info", "warn" (or "warning"), "error"; nothing for others.
std::optional<log_level> parse_log_level(std::string_view text);

/// How `stderr_log()` writes from now on: logfmt lines naming `member`,
/// without those below `least`. Not thread-safe: call before anything logs.
void configure_stderr_log(std::string member, log_level least);

/// One logfmt line (no newline): `ts`, `level`, `member` (left out when
/// empty) and `msg`, quoted when it has a space, a quote, '=' or is empty
/// (with `\"` and `\\` escaped, control characters as spaces).
std::string logfmt_line(std::chrono::system_clock::time_point ts,
                        log_level level, const std::string& member,
                        const std::string& msg);

/// Formats a line printf-style and writes it to `sink`.
void logf(log_sink& sink, log_level level, const char* fmt, ...)
  __attribute__((format(printf, 3, 4)));

} // namespace shoal
