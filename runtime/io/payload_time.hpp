// Reading a payload's timestamp in the unit a source is configured with.
//
// A timestamp is an integer number of ns (the default), us, ms or s since
// the Unix epoch, or an RFC 3339 string. In ns it must be an integer, as
// before issue 17; in us, ms and s a float is also taken (Python's
// time.time()) and rounded to the nearest ns. Results outside int64 ns
// (1677 to 2262) are errors. Error texts name the key as given in `what`
// (`JSON "ts"`, `msgpack "ts"`, `Telegraf metric "cpu": "timestamp"`), for
// the `malformed` notice. Pure; safe to call from any thread.

#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "caf/expected.hpp"

#include "runtime/io/mqtt_options.hpp"

namespace shoal {

/// `count` units as ns; false when the result does not fit in an int64.
bool scale_to_ns(int64_t count, ts_unit unit, int64_t& ns);

/// `count` units (finite) as ns, rounded; false when it does not fit.
bool scale_to_ns(double count, ts_unit unit, int64_t& ns);

/// The timestamp `x` of a JSON payload, read as `unit` says.
caf::expected<int64_t> json_timestamp(const nlohmann::json& x, ts_unit unit,
                                      const std::string& what);

/// The error for a timestamp of the wrong type: `what` must be an integer
/// (ns), a number (us, ms, s) or an RFC 3339 string, not `type`.
caf::error timestamp_type_error(const std::string& what, ts_unit unit,
                                const std::string& type);

} // namespace shoal
