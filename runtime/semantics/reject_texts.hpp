// What was wrong with a rejected sample, in words that name the fix.
//
// A source that rejects a sample (source_filter.hpp) or a payload it could
// not parse records a `reject_event` (runtime/core/reject_log.hpp); these
// functions give its text and example. The texts of one kind are the same
// for every sample (the values go in the example), so that a reject_log
// keeps one entry per kind of mistake rather than one per sample. Pure;
// safe on any thread.

#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/core/counters.hpp"

namespace shoal {

/// Why the filter (or, for `out_of_order`, the sensor) rejects a sample
/// with timestamp `ts` that arrived at `now_ns`.
std::string sample_reject_text(reject_reason why, int64_t ts, int64_t now_ns);

/// The sample as the example of a rejection: `SENSOR ts=TS value=V`.
std::string sample_example(std::string_view sensor, int64_t ts, double value);

/// A payload's parse error `reason` with what to do about it when the
/// reason is about the timestamp.
std::string malformed_text(std::string_view reason);

} // namespace shoal
