// The last few minutes of a member's headline figures, for the time charts
// of the status page.
//
// The status board records one point per refresh (one a second in a
// member): the samples and outputs per second that the refresh computed,
// and the output latency p50 and p99 of the outputs since the previous
// point, from the difference of the cumulative histograms, so that a chart
// shows latency as it changes and not its average since start. It keeps
// the newest `capacity` points (300: five minutes at one a second). Kept by
// the member rather than the browser, the charts survive a reload of the
// page. A plain value, not thread-safe: the board holds its mutex around it.

#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "runtime/core/latency_histogram.hpp"
#include "runtime/http/status_model.hpp"

namespace shoal {

class status_history {
public:
  /// Five minutes of one point a second.
  static constexpr size_t default_capacity = 300;

  explicit status_history(size_t capacity = default_capacity);

  /// Adds the point of a refresh at `unix_ms` with these totals and the
  /// cumulative output latency; drops the oldest point when full.
  void record(int64_t unix_ms, const totals_status& totals,
              const latency_histogram& latency);

  /// The points, oldest first.
  std::vector<status_point> points() const;

private:
  size_t capacity_;
  std::deque<status_point> points_;
  /// The cumulative latency at the previous point.
  latency_histogram last_;
};

/// The outputs in `now` that are not in `before`, an earlier state of the
/// same cumulative histogram. A histogram with fewer recordings than
/// `before` started again (a member restarted or left): all of it is new.
latency_histogram latency_since(const latency_histogram& now,
                                const latency_histogram& before);

} // namespace shoal
