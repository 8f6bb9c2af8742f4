// InfluxDB line protocol for emitted outputs (SPEC section 13).
//
// An output (node, ts, value) is the line
//   <measurement>,node=<node> value=<value> <ts>\n
// with `ts` in nanoseconds and `value` a float field printed so that it
// parses back to the same double. Measurement names escape ',' and ' ';
// tag values escape ',', '=' and ' ' (line protocol's rules); a line feed
// or carriage return, which line protocol cannot carry, is written as a
// space. Line protocol has no NaN or infinity: such a value has no line.
// Pure; any thread.

#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace shoal {

/// `name` escaped as a measurement.
std::string escape_measurement(std::string_view name);

/// `value` escaped as a tag key or value.
std::string escape_tag(std::string_view value);

/// "<measurement>,node=<node> value=": the start of every line of `node`,
/// escaped.
std::string line_prefix(std::string_view measurement, std::string_view node);

/// Appends `prefix` (from `line_prefix`) with `value` and `ts` to `out`;
/// false, appending nothing, if `value` is not finite.
bool append_line(std::string& out, const std::string& prefix, int64_t ts,
                 double value);

} // namespace shoal
