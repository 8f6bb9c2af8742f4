// The address of an InfluxDB replay (SPEC section 13):
// `influxdb://HOST[:PORT]/DB?measurement=M&start=RFC3339&end=RFC3339`.
//
// `parse_influx_url` checks every part and says what is wrong with the URL:
// a wrong scheme, no database, a missing or unknown parameter, a time that
// is not RFC 3339, `start` not before `end`. The port defaults to 8086; the
// database and the parameters may be percent-encoded. Errors are
// `errc::invalid_input` errors that quote the URL. Pure; any thread.

#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "caf/expected.hpp"

#include "runtime/io/net_address.hpp"

namespace shoal {

struct influx_url {
  /// The URL as given, for messages.
  std::string text;
  net_address server;
  std::string database;
  std::string measurement;
  /// The points replayed have start_ns <= time < end_ns.
  int64_t start_ns = 0;
  int64_t end_ns = 0;
};

/// Whether `text` names an InfluxDB replay rather than a file: it starts
/// with "influxdb://".
bool is_influx_url(std::string_view text);

caf::expected<influx_url> parse_influx_url(std::string_view text);

/// Reads an RFC 3339 time ("2026-01-02T03:04:05.123456789Z", or with an
/// offset such as "+02:00") as nanoseconds since the Unix epoch; false if
/// it is not one or lies outside the int64 range.
bool parse_rfc3339(std::string_view text, int64_t& ns);

} // namespace shoal
