// The actor of one feature or model node.
//
// State: the node's function, the as-of join over its inputs, its
// subscribers and its counters. It receives its inputs' batches, fires
// every safe timestamp (SPEC section 3), sends its outputs to subscribers,
// asks lagging inputs for watermarks when it waits on them, and sends
// `(report_atom, name, node_counts)` to its monitor once at end of stream.
//
// Messages handled:
//   (wire_atom, std::vector<caf::actor> inputs) -> ok_atom, once subscribed
//   batch                       from an input
//   (need_atom, int64_t ts)     from a subscriber
//   (subscribe_atom, actor)     -> (subscribed_atom, key, point last, wm)
//   (subscribed_atom, key, point last, int64_t wm)   from an input
//   (unsubscribe_atom, actor)
//   (stats_atom)                -> node_counts

#pragma once

#include <memory>
#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/stateful_actor.hpp"

#include "actors/publisher.hpp"
#include "actors/wiring.hpp"
#include "runtime/counters.hpp"
#include "runtime/graph_spec.hpp"
#include "runtime/join_core.hpp"
#include "runtime/node_fn.hpp"

namespace shoal {

struct node_state {
  static inline const char* name = "shoal.node";

  std::string node;
  uint64_t key = 0;
  node_fn_ptr fn;
  std::unique_ptr<join_core> join;
  std::vector<caf::actor> inputs;
  std::vector<uint64_t> input_keys;
  /// Per input: the largest watermark we asked it for.
  std::vector<int64_t> asked;
  std::unique_ptr<publisher> pub;
  node_counts counts;
  caf::actor monitor;
  input_wiring wiring;
  bool reported = false;
};

/// Runs node `spec` (a feature or a model); `monitor` gets the final report.
caf::behavior node_actor(caf::stateful_actor<node_state>* self, node_spec spec,
                         caf::actor monitor);

} // namespace shoal
