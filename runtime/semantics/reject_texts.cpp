#include "runtime/semantics/reject_texts.hpp"

#include <cstdio>

#include "runtime/semantics/source_filter.hpp"

namespace shoal {

std::string sample_reject_text(reject_reason why, int64_t ts, int64_t now_ns) {
  switch (why) {
    case reject_reason::malformed:
      return "timestamp is a watermark sentinel (INT64_MIN or INT64_MAX), "
             "which no sample may carry";
    case reject_reason::unknown_sensor:
      return "no sensor of this name in the deployed graph (the names are "
             "listed under unknown sensors)";
    case reject_reason::non_finite: return "value is NaN or infinite";
    case reject_reason::late:
      if (auto unit = timestamp_unit_guess(ts, now_ns))
        return std::string{"timestamp looks like "} + unit
               + " since the epoch, but Shoal reads integer nanoseconds, so "
                 "the sample is decades behind the watermark (an MQTT source "
                 "reads other units with timestamp_unit, docs/io.md)";
      return "timestamp is behind the source's watermark (the time of "
             "arrival minus allowed_lateness_ns)";
    case reject_reason::out_of_order:
      return "timestamp is not after the last sample this source sent the "
             "sensor; a bare MQTT number takes its time of arrival, so after "
             "a sample dated in the future it waits for that date";
  }
  return to_string(why);
}

std::string sample_example(std::string_view sensor, int64_t ts, double value) {
  char tail[96];
  std::snprintf(tail, sizeof(tail), " ts=%lld value=%.17g",
                static_cast<long long>(ts), value);
  return std::string{sensor} + tail;
}

std::string malformed_text(std::string_view reason) {
  std::string out{reason};
  if (reason.find("\"ts\"") != std::string_view::npos)
    out += " (Shoal reads \"ts\" as integer nanoseconds since the epoch; "
           "an MQTT source reads RFC 3339 and other units with "
           "timestamp_unit, docs/io.md; or leave it out to take the time of "
           "arrival)";
  return out;
}

} // namespace shoal
