// One feature or model without the actor around it: its function, the
// as-of join over its inputs, its publisher, counters and progress state.
//
// Used by the node actor (actors/dataflow/node_actor.hpp), which runs one node,
// and the cell actor (actors/dataflow/cell_actor.hpp), which runs many; the
// actor decides where a node's inputs are and how to ask them for watermarks.

#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "caf/expected.hpp"

#include "actors/dataflow/progress.hpp"
#include "actors/dataflow/publisher.hpp"
#include "runtime/core/counters.hpp"
#include "runtime/core/metrics.hpp"
#include "runtime/functions/fn_factory.hpp"
#include "runtime/functions/node_fn.hpp"
#include "runtime/graph/graph_spec.hpp"
#include "runtime/semantics/join_core.hpp"
#include "runtime/semantics/node_fire.hpp"

namespace shoal {

struct node_core {
  /// Makes node `spec` in band `band` of `tracker` (null: not tracked);
  /// `input_bands` are its inputs' bands in `needs` order. Its function is
  /// made with `fns`; it counts on `live`, which must outlive it. An error if
  /// its function cannot be made.
  static caf::expected<node_core> make(const node_spec& spec,
                                       progress_tracker* tracker, uint32_t band,
                                       const std::vector<uint32_t>& input_bands,
                                       const fn_context& fns = {},
                                       metrics* live = &process_metrics());

  std::string name;
  node_fn_ptr fn;
  join_core join;
  publisher pub;
  node_counts counts;
  /// What a node knows of one of its inputs.
  struct input {
    uint64_t key = 0;
    /// The largest watermark asked of it.
    int64_t asked = wm_none;
    /// Where the input comes from, as its owner says.
    uint32_t from = 0;
    /// Whether the band frontier covers it (it is in a lower band).
    bool covered = false;
  };

  /// One per input, in `needs` order (one vector: every node pays for each
  /// allocation).
  std::vector<input> inputs;
  progress_tracker* tracker = nullptr;
  /// The live counters firings are added to.
  metrics* live = nullptr;
  uint32_t band = progress_tracker::no_band;
  /// The token of the item held for queued firings.
  int64_t hold = progress_tracker::no_token;
  /// The frontier waited for, `wm_end` when not waiting.
  int64_t waiting = wm_end;

  /// Fires what is safe: each output goes to the publisher and to `also`.
  template <class F>
  void fire(F&& also) {
    fire_ready(join, *fn, counts, *live, [&](point p) {
      pub.push(p);
      also(p);
    });
  }

  /// Asks the CPU for the node's memory ahead of a run (a cell runs many
  /// nodes spread over the heap).
  void prefetch() const {
    __builtin_prefetch(inputs.data());
    __builtin_prefetch(fn.get());
    join.prefetch();
    pub.prefetch();
  }

  /// The earliest timestamp at which the node still has work: its next
  /// queued firing (a trigger input's value; values of other inputs are
  /// taken on the way to it) or the output its function has due (a
  /// tumbling window's end); `wm_end` if none.
  int64_t next_due() const;

  /// Holds an item in the tracker for the firings still queued and the
  /// output still due, so that no band frontier passes them.
  void update_hold();

  /// What the node waits for, in the order to ask for it: its next queued
  /// firing or due output (`next_due`) above its watermark, then the largest
  /// request of a subscriber above it; `wm_none` where there is none. Asking
  /// the smaller first lets a frontier wait end at the firing, not at the
  /// request.
  std::pair<int64_t, int64_t> wanted() const;

  /// Waits for the band frontier to reach `t` (some covered input lags).
  /// Returns the frontier if it already did (the caller sends itself the
  /// notice), `wm_none` otherwise.
  int64_t wait_frontier(int64_t t, const caf::actor& self);

  /// The band frontier reached `f`: the covered inputs advance to it, and
  /// the node no longer waits if it waited for `f` or less.
  void frontier(int64_t f);

private:
  node_core(const node_spec& spec, node_fn_ptr f, progress_tracker* t,
            uint32_t b, std::vector<bool> triggers, metrics* m);
};

} // namespace shoal
