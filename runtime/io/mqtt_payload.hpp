// Parsing one MQTT message payload into a sample's timestamp and value.
//
// Three forms are accepted (SPEC section 8):
// - JSON: an object {"ts": <int ns>, "value": <number>};
// - msgpack: a map with the same keys ("ts" an integer, "value" any number);
// - a bare number as text ("21.5", "-3e2"; surrounding whitespace allowed).
// A bare number, and a map or object without "ts", take `arrival_ns` as
// their timestamp. Other keys of a map or object are ignored. Anything else
// is an `errc::invalid_input` error whose text says what was wrong, for the
// `malformed` notice. "nan" and "inf" parse (the source rejects them later as
// `non_finite`). The options name the timestamp's key ("ts" by default) and
// unit (ns by default: an integer; see payload_time.hpp for the others).
// This is the payload format "value"; mqtt_decoder reads the others. Pure;
// safe to call from any thread.

#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "caf/expected.hpp"

#include "runtime/core/types.hpp"
#include "runtime/io/mqtt_options.hpp"

namespace shoal {

/// Parses `payload` with the default options (key "ts", unit ns).
caf::expected<point> parse_mqtt_payload(std::string_view payload,
                                        int64_t arrival_ns);

/// Parses `payload` with the timestamp key and unit of `opts`.
caf::expected<point> parse_mqtt_payload(std::string_view payload,
                                        int64_t arrival_ns,
                                        const mqtt_payload_options& opts);

/// The JSON text {"ts":<ts>,"value":<value>} that MQTT sinks publish,
/// `value` printed as by "%.17g".
std::string format_mqtt_payload(point p);

} // namespace shoal
