// The checks a source applies to each sample, and the source's watermark.
//
// A source (a replayed file, a live feed) offers samples in arrival order.
// The filter rejects, in the order of SPEC section 3, `malformed` (a
// timestamp outside `valid_ts`, below), `unknown_sensor`, `non_finite` and
// `late` (the caller counts rows it could not parse via `count_malformed`);
// `out_of_order` is the sensor's own check (`sensor_gate`), because several
// sources may feed one sensor.
//
// The two ends of the int64 range are the watermark sentinels (`wm_none`,
// `wm_end`); a sample carrying one would read as "nothing known yet" or "end
// of stream" downstream, so such a timestamp is malformed, the same in replay
// and live. Counted in the totals only, as every malformed row is.
//
// Watermarks:
// - replay (`advance_on_accept` true): after each accepted sample,
//   W = m - 1 - allowed_lateness_ns, m the largest accepted ts so far;
// - live: the owner calls `set_watermark(now - allowed_lateness_ns)`.
// `finish()` sets W = wm_end. Not thread-safe; one filter per source.

#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "runtime/core/counters.hpp"
#include "runtime/core/types.hpp"
#include "runtime/functions/fn_state.hpp"

namespace shoal {

/// Maps sensor names to dense indices 0..n-1.
class sensor_directory {
public:
  sensor_directory() = default;
  explicit sensor_directory(std::vector<std::string> names);

  std::optional<uint32_t> find(std::string_view name) const;

  const std::string& name(uint32_t index) const {
    return names_[index];
  }

  size_t size() const {
    return names_.size();
  }

private:
  std::vector<std::string> names_;
  std::unordered_map<std::string_view, uint32_t> index_;
};

/// True when `ts` may carry a sample: strictly between the watermark
/// sentinels `wm_none` (INT64_MIN) and `wm_end` (INT64_MAX).
constexpr bool valid_ts(int64_t ts) {
  return ts > wm_none && ts < wm_end;
}

/// The unit a live sample's timestamp `ts` seems to be in when it is not
/// nanoseconds: "seconds", "milliseconds" or "microseconds" if `ts` in that
/// unit is within a week of `now_ns`; null otherwise. A live source warns
/// once per sensor (such a sample reads as decades late, issue 17).
const char* timestamp_unit_guess(int64_t ts, int64_t now_ns);

/// The verdict on one offered sample.
struct verdict {
  bool accepted = false;
  /// Valid when `accepted` is false.
  reject_reason reason = reject_reason::malformed;
  /// The sensor's index; valid unless the reason is `malformed` or
  /// `unknown_sensor`.
  uint32_t sensor = 0;
};

class source_filter {
public:
  source_filter(const sensor_directory& dir, int64_t allowed_lateness_ns,
                bool advance_on_accept);

  /// Checks one parsed sample; on acceptance, advances the replay watermark.
  verdict offer(std::string_view sensor, int64_t ts, double value);

  /// Checks against `dir` from now on (a live source re-bound to a changed
  /// graph): keeps the totals and the watermark, starts per-sensor counts
  /// afresh. `dir` must outlive the filter.
  void rebind(const sensor_directory& dir) {
    dir_ = &dir;
    per_sensor_.assign(dir.size(), ingest_counts{});
  }

  /// Counts one row or payload that did not parse.
  void count_malformed() {
    ++counts_[reject_reason::malformed];
  }

  int64_t watermark() const {
    return wm_;
  }

  /// The largest timestamp accepted so far by a replay filter, or wm_none.
  int64_t max_accepted() const {
    return max_ts_;
  }

  /// Live sources: sets W (never moves it backwards).
  void set_watermark(int64_t wm);

  /// End of stream: W = wm_end.
  void finish() {
    wm_ = wm_end;
  }

  /// Accepted here counts samples that passed this filter (the sensor may
  /// still reject them as out of order).
  const ingest_counts& counts() const {
    return counts_;
  }

  /// The same, for the sensor with directory index `sensor` (rejections for
  /// which the sensor is known: non_finite and late).
  const ingest_counts& sensor_counts(uint32_t sensor) const {
    return per_sensor_[sensor];
  }

  const sensor_directory& directory() const {
    return *dir_;
  }

  /// The filter's state (watermark, largest accepted timestamp, totals and
  /// per-sensor counts), for a replay resumed from a checkpoint.
  void save(state_writer& w) const;

  /// Takes a state `save` wrote for the same sensors; false (and nothing
  /// changed) if it does not fit.
  bool load(state_reader& r);

private:
  const sensor_directory* dir_;
  int64_t lateness_;
  bool advance_on_accept_;
  int64_t max_ts_ = wm_none;
  int64_t wm_ = wm_none;
  ingest_counts counts_;
  std::vector<ingest_counts> per_sensor_;
};

/// A sensor's own check: strictly increasing timestamps.
class sensor_gate {
public:
  /// Returns true and remembers `ts` if it is newer than the last accepted.
  bool admit(int64_t ts) {
    if (ts <= last_ts_)
      return false;
    last_ts_ = ts;
    return true;
  }

  int64_t last_ts() const {
    return last_ts_;
  }

private:
  int64_t last_ts_ = wm_none;
};

} // namespace shoal
