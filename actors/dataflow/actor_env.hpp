// What a data actor reaches outside itself: the live counters, the log and
// the wall clock, handed in so that a test can give its own.
//
// The defaults are the process-wide instances the commands use. The actor
// keeps the pointers; whatever they point to must outlive it. Reading the
// pointers is the only cost: no virtual call per sample (the clock is read
// once per batch, as before).

#pragma once

#include "actors/dataflow/checkpoint_board.hpp"
#include "runtime/core/clock.hpp"
#include "runtime/core/counts_slot.hpp"
#include "runtime/core/log_sink.hpp"
#include "runtime/core/metrics.hpp"

namespace shoal {

struct actor_env {
  /// The live counters (runtime/core/metrics.hpp).
  metrics* live = &process_metrics();
  /// Where messages for people go.
  log_sink* log = &stderr_log();
  /// The wall clock, for output latencies.
  const wall_clock* clock = &system_clock();
  /// Where the actor publishes its counters for its graph host (null:
  /// nowhere; runtime/core/counts_slot.hpp).
  counts_slot_ptr counts;
  /// Where the actor puts its parts of checkpoint rounds (null: no
  /// checkpoints; actors/dataflow/checkpoint_board.hpp).
  checkpoint_board_ptr board;
};

} // namespace shoal
