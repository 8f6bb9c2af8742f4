// The actor of one feature or model node.
//
// State: the node's function, the as-of join over its inputs, its
// subscribers and its counters. It receives its inputs' batches, fires
// every safe timestamp (SPEC section 3), sends its outputs to subscribers,
// asks lagging inputs for watermarks when it waits on them, and sends
// `(report_atom, name, node_counts)` to its monitor once at end of stream.
// With a progress tracker (actors/dataflow/progress.hpp) the node has a band;
// it waits for the frontier of its band instead of asking inputs of lower bands
// for watermarks, holds an item while firings are queued, and releases each
// counted batch once handled.
//
// Messages handled (the data edge: actors/dataflow/data_edge.hpp; moving:
// actors/dataflow/move_protocol.hpp):
//   (wire_atom, std::vector<caf::actor> inputs) -> ok_atom, once subscribed
//   (wire_atom, std::vector<caf::actor> inputs, bool urgent)
//                               the same, with high-priority subscriptions
//                               if `urgent` (a node added to a running graph)
//   (rewire_atom, std::vector<caf::actor> olds, std::vector<caf::actor> news)
//                               -> ok_atom once subscribed to the news: the
//                                  input that was `olds[k]` is `news[k]` from
//                                  now on (a replaced or failed-over node);
//                                  the node unsubscribes from `olds[k]`, and
//                                  points the new input sends at or before
//                                  the old one's last are dropped
//   batch                       from an input
//   std::vector<batch>          batches of several inputs that run in one
//                               cell (actors/dataflow/cell_actor.hpp), in order
//   (need_atom, int64_t ts)     from a subscriber
//   (frontier_atom, uint32_t band, int64_t F)
//                               inputs of lower bands reached F
//   (subscribe_atom, actor, uint32_t band, uint64_t key)
//                               -> (subscribed_atom, key, point last, wm)
//   (subscribed_atom, key, point last, int64_t wm)   from an input
//   (unsubscribe_atom, actor)
//   (stats_atom)                -> node_counts
//   (move_atom, actor target)   -> ok_atom once moved: asks every input to
//                                  send to `target` instead (swap_atom),
//                                  handles what they sent before, then hands
//                                  its state to `target` (restore_atom),
//                                  tells its subscribers (moved_atom) and
//                                  stops
//   (swap_atom, actor from, actor to)
//                               subscriber `from` moves to `to`: outputs go
//                               to `to` from now on, `from` gets
//                               (swapped_atom, key) after its last batch
//   (moved_atom, uint64_t key, actor to)
//                               input `key` moved to `to`: the node
//                               subscribes there (which releases the outputs
//                               `to` kept for it)
//   (mark_atom, uint64_t k, uint64_t key)
//                               input `key` marked checkpoint round k: once
//                               every input did, the node sends its state
//                               to its monitor (its graph host) and the
//                               mark to its subscribers
//                               (actors/dataflow/checkpoint_marks.hpp)
// A node spawned in standby (node_band::standby) first waits for
//   (restore_atom, handover)    the state of its previous actor

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
#include "actors/dataflow/node_core.hpp"
#include "actors/dataflow/progress.hpp"
#include "actors/dataflow/wiring.hpp"
#include "runtime/functions/fn_factory.hpp"
#include "runtime/graph/graph_spec.hpp"

namespace shoal {

struct node_state {
  static inline const char* name = "shoal.node";

  /// The node's function, join, publisher, counters and progress state
  /// (actors/dataflow/node_core.hpp); null only if the function could not be
  /// made.
  std::unique_ptr<node_core> core;
  /// The actor of each input, in `needs` order.
  std::vector<caf::actor> inputs;
  /// Progress tracking; null when the deployment does not track. Keeps the
  /// tracker `core` counts with alive.
  std::shared_ptr<progress_tracker> tracker;
  caf::actor monitor;
  /// Where the node's messages for people go (`node_band::env`).
  log_sink* log = nullptr;
  /// Where the node publishes its counters (`actor_env::counts`; may be
  /// null).
  counts_slot_ptr counts_out;
  /// Where the node puts its parts of checkpoint rounds
  /// (`actor_env::board`; may be null).
  checkpoint_board_ptr board;
  input_wiring wiring;
  bool reported = false;
  /// A move under way, if any (move_protocol.hpp); a pointer, since it is
  /// rare and every node pays for its size.
  std::unique_ptr<move_state> move;
  /// The checkpoint marks of its inputs (checkpoint_marks.hpp), and what
  /// inputs sent after their marks of a round the node has not taken its
  /// part of yet, in arrival order (a mark alone as a batch without
  /// points).
  mark_tracker marks;
  std::vector<batch> held;
  /// A checkpoint could not hold its function's state, and that was
  /// counted as an error (once).
  bool cold_counted = false;
};

/// Where a node sits in a deployment that tracks progress.
struct node_band {
  std::shared_ptr<progress_tracker> tracker;
  /// The node's band.
  uint32_t band = progress_tracker::no_band;
  /// The band of each input, in `needs` order.
  std::vector<uint32_t> input_bands;
  /// The node is moving here: it waits for `(restore_atom, handover)` from
  /// its previous actor before it handles anything else.
  bool standby = false;
  /// What the function is made with.
  fn_context fns;
  /// The live counters and the log; they must outlive the node.
  actor_env env;
};

/// Runs node `spec` (a feature or a model); `monitor` gets the final report.
/// `where.tracker` may be null.
caf::behavior node_actor(caf::stateful_actor<node_state>* self, node_spec spec,
                         caf::actor monitor, node_band where);

} // namespace shoal
