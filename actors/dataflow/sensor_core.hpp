// What a sensor does with its sources' batches, without the actor around it.
//
// Shared by the sensor actor (actors/dataflow/sensor_actor.hpp) and the cell
// actor (actors/dataflow/cell_actor.hpp), which runs a sensor together with the
// nodes that depend on it alone. The sensor admits a source's samples that are
// newer than its last accepted one and after the floor a detached source left;
// its output watermark is the smallest of its sources' watermarks (or its
// last accepted timestamp, or the floor, if larger).

#pragma once

#include <cstdint>
#include <vector>

#include "caf/actor.hpp"

#include "actors/messages.hpp"
#include "runtime/core/counters.hpp"
#include "runtime/core/metrics.hpp"
#include "runtime/semantics/source_filter.hpp"

namespace shoal {

struct sensor_core {
  struct source {
    caf::actor handle;
    uint64_t key = 0;
    /// The sensor's index at that source, sent back in watermark requests
    /// (`src_need_atom`, actors/dataflow/data_edge.hpp).
    uint32_t index = 0;
    int64_t wm = wm_none;
    int64_t asked = wm_none;
    /// It marks checkpoint rounds (a replay source;
    /// actors/dataflow/checkpoint_marks.hpp), and the newest round it
    /// marked.
    bool marks = false;
    uint64_t mark = 0;
  };

  sensor_gate gate;
  std::vector<source> sources;
  /// The largest watermark of a detached source.
  int64_t floor = wm_none;
  ingest_counts counts;
  /// The live counters accepted and rejected samples are added to.
  metrics* live = &process_metrics();

  /// Attaches source `key` (again with the same key: updates its handle and
  /// index); `marks`: it marks checkpoint rounds.
  void attach(caf::actor handle, uint64_t key, uint32_t index,
              bool marks = false);

  /// Source `key` leaves; its last watermark `wm` stays as a floor. Returns
  /// false if no such source is attached.
  bool detach(uint64_t key, int64_t wm);

  /// The sensor's output watermark.
  int64_t out_wm() const;

  /// Admits the samples of `b` if it comes from an attached source, calling
  /// `out(p)` for each accepted one, and takes the source's watermark.
  template <class F>
  void accept(const batch& b, F&& out) {
    for (auto& src : sources) {
      if (src.key != b.from)
        continue;
      uint64_t accepted = 0;
      uint64_t late = 0;
      for (auto& p : b.points) {
        if (p.ts <= floor) {
          // Behind what a detached source promised for this sensor.
          ++late;
        } else if (gate.admit(p.ts)) {
          ++accepted;
          out(p);
        }
      }
      auto out_of_order = b.points.size() - accepted - late;
      counts.accepted += accepted;
      if (!src.marks)
        counts.live += accepted;
      counts[reject_reason::late] += late;
      counts[reject_reason::out_of_order] += out_of_order;
      live->add_samples(accepted, late + out_of_order);
      if (b.wm > src.wm)
        src.wm = b.wm;
      return;
    }
  }

  /// Asks every source still below `t` for a watermark of at least `t`.
  template <class Self>
  void ask_sources(Self* self, int64_t t) {
    for (auto& s : sources) {
      if (s.wm < t && s.asked < t) {
        s.asked = t;
        self->send(s.handle, src_need_atom_v, t, s.index);
      }
    }
  }
};

} // namespace shoal
