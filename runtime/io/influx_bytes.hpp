// The points of an InfluxDB replay as the bytes of an input CSV, so that an
// InfluxDB replay goes through the same reader, checks, ordering and
// cluster streaming as a file (SPEC section 13).
//
// `influx_bytes` reads `influx_pages` one page at a time and writes each
// point as the row "sensor,ts,value" (the value printed so that it parses
// back to the same double) after the header "sensor,ts,value": line N of
// that text is the (N-1)th point. A sensor name can hold any byte in
// InfluxDB; a byte a CSV field cannot carry (',', '"', spaces, control
// characters) is written as '?', which no graph's sensor name holds, so the
// point counts as `unknown_sensor` as it would with its own name. A point
// that has no numeric value or no `sensor` tag becomes a row without a
// value, which the reader counts as malformed at its line. A failed query
// ends the bytes early: `failed()` is true and `why_failed()` says what
// went wrong, with the URL. Holds one page and its text at a time. Not
// thread-safe; `read` blocks for at most one query's timeout.

#pragma once

#include <memory>
#include <string>
#include <vector>

#include "caf/expected.hpp"

#include "runtime/io/byte_source.hpp"
#include "runtime/io/influx_query.hpp"

namespace shoal {

class influx_bytes final : public byte_source {
public:
  /// Parses `text` (an influxdb:// URL; errors as `parse_influx_url`) and
  /// runs the first query, so that a database that does not answer, or
  /// answers with an error, is an error here.
  static caf::expected<std::shared_ptr<influx_bytes>>
  open(const std::string& text,
       influx_pages::options opts = influx_pages::options{});

  byte_read read(char* buf, size_t n) override;

  bool failed() const override {
    return !why_.empty();
  }

  std::string why_failed() const override {
    return why_;
  }

  /// Appends the CSV row of `p` to `out`.
  static void append_row(std::string& out, const influx_point& p);

private:
  explicit influx_bytes(influx_pages pages);

  /// Writes the next page into `text_`; false at the end or on an error.
  bool fill();

  influx_pages pages_;
  std::vector<influx_point> page_;
  std::string text_;
  size_t pos_ = 0;
  bool end_ = false;
  std::string why_;
};

/// The input of a replay: the InfluxDB replay `in` names if it is an
/// influxdb:// URL (`is_influx_url`), else the file `in`.
caf::expected<std::shared_ptr<byte_source>>
open_replay_bytes(const std::string& in);

} // namespace shoal
