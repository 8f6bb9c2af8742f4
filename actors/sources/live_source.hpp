// A live source: feeds sensors from a sample_feed on the wall clock.
//
// The owner sends the first `tick_atom` once the sensors are attached.
// Every tick it asks the feed for the samples between the last tick and now
// (`opts.clock`, the wall clock unless a test hands in a manual one; a
// sample's timestamp is its arrival), offers them to a live
// source filter, and sends them to the sensors; then it raises its
// watermark to `now - allowed_lateness_ns` and answers the sensors'
// watermark requests, and (with a progress tracker) advances the band
// frontiers. The actor owns the feed's use; the feed's
// `generated()` counter may be read by others.
//
// Messages handled:
//   (caf::tick_atom)                      generates the next samples
//   (src_need_atom, int64_t ts, uint32_t i) from sensor i
//   (done_atom)                           ends the stream: every sensor
//                                         gets wm_end, the source quits
//   (stats_atom)                          -> ingest_counts of the filter

#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/error.hpp"
#include "caf/stateful_actor.hpp"

#include "actors/dataflow/progress.hpp"
#include "actors/sources/ingest_router.hpp"
#include "runtime/core/clock.hpp"
#include "runtime/core/log_sink.hpp"
#include "runtime/core/metrics.hpp"
#include "runtime/semantics/source_filter.hpp"
#include "runtime/sim/sample_feed.hpp"

namespace shoal {

struct live_options {
  int64_t allowed_lateness_ns = 100'000'000;
  std::chrono::milliseconds tick{1};
  /// The deployment's progress tracker, if it tracks progress: the source
  /// registers, counts its batches, declares its watermark and advances the
  /// frontiers every tick.
  std::shared_ptr<progress_tracker> tracker;
  /// The clock `now` comes from; it must outlive the source.
  const wall_clock* clock = &system_clock();
  /// The live counters rejected samples and sent batches are added to; it
  /// must outlive the source.
  metrics* live = &process_metrics();
  /// Where warnings go (a timestamp in the wrong unit); it must outlive
  /// the source.
  log_sink* log = &stderr_log();
  /// How the member's status names the source ("mqtt #1 mqtt://host:1883
  /// plant/#"); empty for sources it does not list.
  std::string name = {};
};

struct live_source_state {
  static inline const char* name = "shoal.live";

  std::shared_ptr<sample_feed> feed;
  std::shared_ptr<const sensor_directory> dir;
  std::unique_ptr<source_filter> filter;
  std::unique_ptr<ingest_router> router;
  std::vector<sim_sample> buf;
  live_options opts;
  size_t tracker_index = 0;
  int64_t last = 0;
};

/// Feeds `sensors` (indexed like `dir`) from `feed`, whose sensor names
/// must be in `dir`.
caf::behavior live_source(caf::stateful_actor<live_source_state>* self,
                          std::shared_ptr<sample_feed> feed,
                          std::shared_ptr<const sensor_directory> dir,
                          std::vector<caf::actor> sensors, uint64_t key,
                          live_options opts);

/// The start every live source shares. `st` has `dir`, `filter`, `router`,
/// `opts` (live_options) and `tracker_index`: a live source filter over
/// `st.dir`, a router to `sensors` under `key`, and with a tracker the
/// registration that accepts nothing at or before `now` minus the lateness.
template <class State>
caf::error start_live_ingest(State& st, uint64_t key,
                             std::vector<caf::actor> sensors, int64_t now) {
  st.filter = std::make_unique<source_filter>(
    *st.dir, st.opts.allowed_lateness_ns, false);
  st.router
    = std::make_unique<ingest_router>(key, std::move(sensors), st.opts.live);
  if (!st.opts.tracker)
    return caf::none;
  auto index = track_live_source(*st.opts.tracker, *st.filter, *st.router,
                                 now - st.opts.allowed_lateness_ns);
  if (!index)
    return std::move(index.error());
  st.tracker_index = *index;
  return caf::none;
}

} // namespace shoal
