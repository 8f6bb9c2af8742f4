// Why a source rejected input: the first few distinct reasons with an
// example each, and the unknown sensor names it saw (issue 17).
//
// Counts alone (counters.hpp) say how many samples were rejected, not why;
// a source keeps a `reject_log` beside its counts so that `/status`,
// `shoalctl status` and the log can show the first few reasons. Memory is
// bounded whatever the input: at most `max_reasons` entries (rejections
// with a reason text not kept are only counted in `other_reasons`) and
// `max_unknown` sensor names (samples of other names are counted in
// `other_unknown`); every text is cut to `max_text` bytes and every example
// to `max_example` bytes. Texts that came from the network (payloads,
// topics, sensor names) are escaped on the way in (`escape_bytes`), so
// what is shown or logged is printable ASCII. A plain value with
// `inspect()`: a member merges its sources' logs and sends the result to
// whoever asks. Not thread-safe.

#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/core/counters.hpp"

namespace shoal {

/// One distinct reason, with where and when it first happened.
struct reject_entry {
  /// Which source ("mqtt source #1"); set by the member that merges.
  std::string source;
  /// The rejection's class: "malformed", "unknown_sensor", "late", ...
  std::string reason;
  /// What was wrong, in words; entries are distinct by source and text.
  std::string text;
  /// The sensor it was for, when known.
  std::string sensor;
  /// Where it came from: a topic, a peer, a line number.
  std::string origin;
  /// The first offending input, escaped and cut to `max_example` bytes.
  std::string example;
  /// Wall-clock nanoseconds of the first occurrence.
  int64_t first_ns = 0;
  uint64_t count = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, reject_entry& x) {
  return f(x.source, x.reason, x.text, x.sensor, x.origin, x.example,
           x.first_ns, x.count);
}

/// A sensor name the graph does not know, and how many samples named it.
struct unknown_name {
  std::string name;
  uint64_t count = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, unknown_name& x) {
  return f(x.name, x.count);
}

/// What one rejection was: the parts of a `reject_entry` but its count.
struct reject_event {
  reject_reason reason = reject_reason::malformed;
  std::string_view text;
  std::string_view sensor;
  std::string_view origin;
  std::string_view example;
  int64_t now_ns = 0;
  uint64_t count = 1;
};

struct reject_log {
  static constexpr size_t max_reasons = 8;
  static constexpr size_t max_unknown = 32;
  static constexpr size_t max_example = 120;
  static constexpr size_t max_text = 240;

  std::vector<reject_entry> reasons;
  /// Rejections whose reason text did not fit in `reasons`.
  uint64_t other_reasons = 0;
  std::vector<unknown_name> unknown;
  /// Samples of sensor names beyond the first `max_unknown`.
  uint64_t other_unknown = 0;

  /// Counts one rejection; returns the entry when its text is new (the
  /// caller logs it once), null otherwise.
  const reject_entry* add(const reject_event& e);

  /// Counts `count` samples of the unknown sensor `name`.
  void add_unknown(std::string_view name, uint64_t count = 1);

  /// Adds `other`'s entries and names, giving entries without a source
  /// the name `source`.
  void merge(const reject_log& other, std::string_view source = {});

  bool empty() const {
    return reasons.empty() && other_reasons == 0 && unknown.empty()
           && other_unknown == 0;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, reject_log& x) {
  return f(x.reasons, x.other_reasons, x.unknown, x.other_unknown);
}

/// `bytes` cut to at most `limit` bytes of output, with `\` and every byte
/// outside printable ASCII escaped (`\\`, `\xNN`): what is left cannot
/// move a terminal's cursor or forge a log line (the JSON and logfmt
/// writers quote the rest); a cut text ends in "...".
std::string escape_bytes(std::string_view bytes, size_t limit);

/// `ns` since the epoch as RFC 3339 UTC with milliseconds.
std::string rfc3339_ms(int64_t ns);

} // namespace shoal
