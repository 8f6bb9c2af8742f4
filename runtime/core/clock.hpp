// Wall-clock time for live sources, MQTT arrival stamps and the demo.
//
// Event time never comes from here: replays and the semantics (SPEC section
// 3) use the samples' own timestamps. Only live watermarks (`now -
// allowed_lateness_ns`) and bare-number MQTT payloads read the wall clock.
// Thread-safe.

#pragma once

#include <cstdint>

namespace shoal {

/// Wall-clock time in nanoseconds since the Unix epoch.
int64_t wall_clock_ns();

} // namespace shoal
