// The sending side of a source: per-sensor buffers and watermark requests.
//
// A source actor (file replay, live feed) adds accepted samples with `add`
// and calls `flush` with its watermark after a chunk of input: each sensor
// with buffered samples gets one batch carrying them and the watermark;
// sensors that asked for a watermark (`request`) get it alone once the
// source's watermark reaches what they asked for; at end of stream
// (wm_end) every sensor gets it. With a progress tracker (`track`), every
// batch of samples is counted in band 0 before it is sent. Where one actor
// runs several of the sensors (a cell group, actors/dataflow/cell_actor.hpp),
// a flush sends it their batches as one `sensor_feed`. Owned by one source
// actor.

#pragma once

#include <cstdint>
#include <functional>
#include <queue>
#include <utility>
#include <vector>

#include "caf/actor.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/expected.hpp"
#include "caf/fwd.hpp"

#include "actors/dataflow/actor_index.hpp"
#include "actors/dataflow/progress.hpp"
#include "actors/messages.hpp"
#include "runtime/core/metrics.hpp"
#include "runtime/core/types.hpp"
#include "runtime/semantics/source_filter.hpp"

namespace shoal {

class ingest_router {
public:
  /// `key` identifies this source in batches; `sensors[i]` is the actor of
  /// the sensor with directory index `i`. Batches sent are counted on
  /// `live`, which must outlive the router.
  ingest_router(uint64_t key, std::vector<caf::actor> sensors,
                metrics* live = &process_metrics());

  uint64_t key() const {
    return key_;
  }

  const std::vector<caf::actor>& sensors() const {
    return sensors_;
  }

  /// Counts the batches of samples with `tracker` (which must outlive the
  /// router), from now on.
  void track(progress_tracker* tracker) {
    tracker_ = tracker;
  }

  /// Buffers accepted sample `p` of sensor `sensor`.
  void add(uint32_t sensor, point p);

  /// Sensor `sensor` waits for this source's watermark to reach `ts`.
  void request(uint32_t sensor, int64_t ts);

  /// Sends buffered samples and watermark `wm` (see the class comment).
  /// With checkpoint mark `mark` (actors/dataflow/checkpoint_marks.hpp),
  /// every sensor gets a batch that carries it after its samples (or
  /// alone).
  void flush(caf::event_based_actor* self, int64_t wm, uint64_t mark = 0);

  /// Sensor `from` moves to `to`: what is buffered for it goes to `from`
  /// (with watermark `wm`), then `from` gets `(swapped_atom, key)` after it,
  /// and everything later goes to `to`.
  void swap_sensor(caf::event_based_actor* self, const caf::actor& from,
                   caf::actor to, int64_t wm);

  /// Samples buffered since the last flush.
  size_t buffered() const {
    return buffered_;
  }

private:
  void send(caf::event_based_actor* self, uint32_t sensor, int64_t wm,
            uint64_t mark = 0);

  /// Sends the batches gathered for actors of several sensors.
  void send_feeds(caf::event_based_actor* self);

  /// Sets `shared_` from `sensors_`.
  void find_shared();

  using request_entry = std::pair<int64_t, uint32_t>;

  uint64_t key_;
  progress_tracker* tracker_ = nullptr;
  metrics* live_;
  std::vector<caf::actor> sensors_;
  std::vector<std::vector<point>> buffers_;
  std::vector<int64_t> sent_wm_;
  std::vector<uint32_t> dirty_;
  /// Per sensor: its actor runs other sensors too.
  std::vector<bool> shared_;
  /// The feeds gathered in a flush, one per actor.
  std::vector<std::pair<caf::actor, sensor_feed>> feeds_;
  actor_index feed_at_;
  std::priority_queue<request_entry, std::vector<request_entry>,
                      std::greater<request_entry>>
    requests_;
  size_t buffered_ = 0;
};

/// Makes a live source count its samples with `tracker`: the source's filter
/// rejects everything at or before `wm` (now minus its lateness), the tracker
/// learns the source with that watermark, and `router` counts its batches.
/// Returns the source's index in the tracker.
caf::expected<size_t> track_live_source(progress_tracker& tracker,
                                        source_filter& filter,
                                        ingest_router& router, int64_t wm);

} // namespace shoal
