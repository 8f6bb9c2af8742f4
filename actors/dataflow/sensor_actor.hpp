// The actor of one sensor.
//
// Its output stream is its accepted samples. Sources attach to it and send
// it batches of samples that already passed the source's checks; the sensor
// rejects those not newer than its last accepted one (`out_of_order`). Its
// output watermark is the smallest of its sources' watermarks (or its last
// accepted timestamp, or the last watermark of a detached source, if
// larger). At end of stream it sends
// `(report_atom, name, ingest_counts)` to its monitor. With a progress
// tracker it is in band 0 and releases each counted batch once handled.
//
// Messages handled (the data edge: actors/dataflow/data_edge.hpp):
//   (attach_atom, actor source, uint64_t key, uint32_t index) -> ok_atom
//                               (again with the same key: updates handle
//                               and index)
//   (attach_atom, actor source, uint64_t key, uint32_t index, bool marks)
//                               -> ok_atom: the same; with `marks` the
//                               source marks checkpoint rounds (a cluster
//                               replay), and the sensor waits for its mark
//   (detach_atom, uint64_t key, int64_t wm)
//                               the source leaves without ending the stream:
//                               its last watermark `wm` stays as a floor of
//                               the sensor's (a cluster replay that reached
//                               its end of file, a source re-bound to a
//                               changed graph); samples at or before the
//                               floor are rejected as `late`
//   batch                       from an attached source
//   (need_atom, int64_t ts)     from a subscriber
//   (subscribe_atom, actor, uint32_t band, uint64_t key)
//                               -> (subscribed_atom, key, point last, wm)
//   (unsubscribe_atom, actor)
//   (stats_atom)                -> ingest_counts
//   (move_atom, actor target), (swap_atom, from, to), (swapped_atom, key)
//                               moving, as a node does
//                               (actors/dataflow/move_protocol.hpp);
//                               the sensor's sources are what it asks to
//                               swap, and its state is its gate, floor,
//                               sources and subscribers
//   (ckpt_atom, uint64_t k)     its graph host asks for its part of
//                               checkpoint round k: it takes it once every
//                               attached source that marks marked k
//   (mark_atom, uint64_t k, uint64_t key)
//                               source `key` marked round k
//                               (actors/dataflow/checkpoint_marks.hpp)
//   (pace_atom, int64_t most) -> ok_atom
//                               once this process's mailbox backlog is at
//                               most `most`: a replay source on another
//                               member paces on it
//                               (actors/dataflow/pacing.hpp)

#pragma once

#include <memory>
#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/response_promise.hpp"
#include "caf/stateful_actor.hpp"

#include "actors/dataflow/actor_env.hpp"
#include "actors/dataflow/checkpoint_marks.hpp"
#include "actors/dataflow/move_protocol.hpp"
#include "actors/dataflow/pacing.hpp"
#include "actors/dataflow/progress.hpp"
#include "actors/dataflow/publisher.hpp"
#include "actors/dataflow/sensor_core.hpp"
#include "runtime/graph/graph_spec.hpp"

namespace shoal {

struct sensor_state {
  static inline const char* name = "shoal.sensor";

  std::string sensor;
  std::shared_ptr<progress_tracker> tracker;
  std::unique_ptr<publisher> pub;
  /// Sources, gate, floor and counters.
  sensor_core core;
  caf::actor monitor;
  actor_env env;
  bool reported = false;
  /// A move under way, if any (move_protocol.hpp); a pointer, since it is
  /// rare and every node pays for its size.
  std::unique_ptr<move_state> move;
  /// Checkpoints (checkpoint_marks.hpp): the newest round its graph host
  /// asked for, and the rounds taken; `marks.seen` stays empty (the
  /// sources' marks are in `core.sources`).
  uint64_t asked = 0;
  mark_tracker marks;
  /// What a replay source sent after its mark of a round the sensor has
  /// not taken its part of yet (another replay source has not marked it),
  /// in arrival order: a batch, or the source's detach (`detach`, with its
  /// watermark in `b.wm`).
  struct held_input {
    batch b;
    bool detach = false;
  };
  std::vector<held_input> held;
  /// A replay source on another member waits for this process's backlog
  /// to fall (actors/dataflow/pacing.hpp); null almost always.
  std::unique_ptr<pace_waits> pace;
};

/// Runs sensor `spec`; `monitor` gets the final report. `tracker` may be
/// null. With `standby`, waits for the state of the sensor's previous actor
/// first (a move).
caf::behavior sensor_actor(caf::stateful_actor<sensor_state>* self,
                           node_spec spec, caf::actor monitor,
                           std::shared_ptr<progress_tracker> tracker,
                           bool standby, actor_env env);

} // namespace shoal
