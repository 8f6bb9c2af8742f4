// Where the actors' messages for people go: lines with a level.
//
// Actors that report something to whoever runs the process (a member that
// joined, a node moved without its state) write a line to the `log_sink`
// handed to them in their options instead of to stderr, so that a test can
// capture the lines. `stderr_log()` is the process's sink and the default:
// it writes each line to stderr as the actors used to, level not shown,
// until `configure_stderr_log` turns on logfmt for a cluster member: then
// each event is one line `ts=2026-12-05T04:12:00.123Z level=info member=n1
// msg="n2 joined" peer=n2` (journald and Loki read its keys), and lines
// below the configured level are dropped. An event may carry `key=value`
// fields beside its text (`log_event`, or `logf` with fields), so that a
// query can select on them instead of parsing `msg`; outside logfmt only the
// text is written. `captured_log` keeps the lines and their fields for tests.
// Both are thread-safe (actors write from any scheduler thread);
// `configure_stderr_log` is called once, before anything logs. Whoever hands
// a sink to an actor keeps it alive for as long as the actor runs.

#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace shoal {

enum class log_level {
  debug,
  info,
  warning,
  error,
};

/// One `key=value` of an event. The key is a plain word of ours (letters,
/// digits, '_'); the value any text, quoted when written if it needs to be.
/// Numbers convert implicitly, so `{{"peer", name}, {"nodes", n}}` reads
/// as it is written.
struct log_field {
  log_field(std::string k, std::string v)
    : key(std::move(k)), value(std::move(v)) {
    // nop
  }

  log_field(std::string k, const char* v) : key(std::move(k)), value(v) {
    // nop
  }

  log_field(std::string k, bool v)
    : key(std::move(k)), value(v ? "true" : "false") {
    // nop
  }

  template <class Int, std::enable_if_t<std::is_integral_v<Int>, int> = 0>
  log_field(std::string k, Int v)
    : key(std::move(k)), value(std::to_string(v)) {
    // nop
  }

  /// Three decimals: durations in milliseconds, rates.
  log_field(std::string k, double v);

  std::string key;
  std::string value;
};

using log_fields = std::vector<log_field>;

/// Receives whole lines, without their newline.
class log_sink {
public:
  virtual ~log_sink() = default;

  virtual void write(log_level level, const std::string& line) = 0;

  /// An event: its text and its fields. By default the fields are dropped
  /// and the text goes to `write`, so a sink that only shows text needs
  /// nothing more.
  virtual void write_event(log_level level, const std::string& line,
                           const log_fields& fields);
};

/// Writes each line to stderr with one call, so lines of several threads
/// do not mix.
class stderr_log_sink final : public log_sink {
public:
  void write(log_level level, const std::string& line) override;

  void write_event(log_level level, const std::string& line,
                   const log_fields& fields) override;
};

/// Keeps every line and its fields, for tests.
class captured_log final : public log_sink {
public:
  using entry = std::pair<log_level, std::string>;

  void write(log_level level, const std::string& line) override;

  void write_event(log_level level, const std::string& line,
                   const log_fields& fields) override;

  /// The lines so far, in the order written.
  std::vector<entry> lines() const;

  /// The fields of each line of `lines()`, at the same index (empty for a
  /// line written without any).
  std::vector<log_fields> fields() const;

private:
  mutable std::mutex mtx_;
  std::vector<entry> lines_;
  std::vector<log_fields> fields_;
};

/// The stderr sink of this process, the default of every actor that logs.
log_sink& stderr_log();

/// "debug", "info", "warn" (or "warning"), "error"; nothing for others.
std::optional<log_level> parse_log_level(std::string_view text);

/// How `stderr_log()` writes from now on: logfmt lines naming `member`,
/// without those below `least`. Not thread-safe: call before anything logs.
void configure_stderr_log(std::string member, log_level least);

/// `text` as a logfmt value: quoted when it has a space, a quote, '=', a
/// backslash or is empty (with `\"` and `\\` escaped, control characters
/// as spaces).
std::string logfmt_value(const std::string& text);

/// One logfmt line (no newline): `ts`, `level`, `member` (left out when
/// empty), `msg`, then `fields` in their order, each value as
/// `logfmt_value` writes it. The fields come after `msg` so that a line
/// reads the same up to its text with or without them.
std::string logfmt_line(std::chrono::system_clock::time_point ts,
                        log_level level, const std::string& member,
                        const std::string& msg, const log_fields& fields = {});

/// Writes the event `msg` with `fields` to `sink`.
void log_event(log_sink& sink, log_level level, const std::string& msg,
               const log_fields& fields);

/// Formats a line printf-style and writes it to `sink`.
void logf(log_sink& sink, log_level level, const char* fmt, ...)
  __attribute__((format(printf, 3, 4)));

/// Formats a line printf-style and writes it to `sink` with `fields`.
void logf(log_sink& sink, log_level level, const log_fields& fields,
          const char* fmt, ...) __attribute__((format(printf, 4, 5)));

} // namespace shoal
