// The as-of join of one derived node (SPEC section 3), without actors.
//
// A `join_core` receives what each input sends (points in increasing `ts` and
// the input's watermark), and hands out the firing timestamps in increasing
// order once they are safe: a timestamp `t` that some trigger input produced
// fires when every input is known to produce nothing more at or before `t`.
// The arguments of a firing are each input's latest point with `ts <= t`.
//
// An input's effective watermark is the larger of the watermark it declared
// and the last timestamp it sent: output streams are strictly increasing, so
// a point at `t` already promises that nothing at or before `t` follows.
//
// One instance per node, owned by that node's actor; not thread-safe.

#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "runtime/core/types.hpp"
#include "runtime/functions/fn_state.hpp"

namespace shoal {

class join_core {
public:
  /// Creates the join over `triggers.size()` inputs; `triggers[i]` tells
  /// whether input `i` makes the node fire.
  explicit join_core(std::vector<bool> triggers);

  size_t inputs() const {
    return inputs_.size();
  }

  /// Input `i` sent points `pts[0..n)` (increasing) and then its watermark
  /// `wm`. Points at or before the input's last timestamp are dropped (a
  /// replacement input may restart behind the one it replaces); a watermark
  /// never moves back.
  void push(size_t i, const point* pts, size_t n, int64_t wm);

  /// Input `i`'s latest output as of a subscription made while the graph
  /// runs: it becomes the as-of value without making the node fire.
  void seed(size_t i, point last, int64_t wm);

  /// Fires every timestamp that is safe, in increasing order, by calling
  /// `fire(t, args, inputs())`. Returns the number of firings.
  template <class F>
  size_t drain(F&& fire) {
    size_t fired = 0;
    for (;;) {
      auto t = next_pending();
      if (t == wm_end || t > ready_wm())
        return fired;
      if (consume(t)) {
        fire(t, static_cast<const double*>(args_.data()), args_.size());
        ++fired;
      }
    }
  }

  /// The node's output watermark: no firing at or before it is still to come.
  int64_t out_wm() const;

  /// The smallest queued timestamp, or `wm_end` if nothing is queued. When
  /// it is larger than `out_wm()`, the node waits for the inputs whose
  /// `input_wm` is below it.
  int64_t next_pending() const;

  /// The smallest queued timestamp of a trigger input: the next firing,
  /// once every input reached it; `wm_end` if none is queued. Values queued
  /// on other inputs are taken on the way and need no wait of their own.
  int64_t next_firing() const;

  /// Effective watermark of input `i`.
  int64_t input_wm(size_t i) const {
    const auto& in = inputs_[i];
    return in.wm > in.last_ts ? in.wm : in.last_ts;
  }

  /// Asks the CPU for the join's memory ahead of its use (a cell about to
  /// run the node).
  void prefetch() const {
    __builtin_prefetch(inputs_.data());
    __builtin_prefetch(args_.data());
  }

  /// Whether input `i` makes the node fire.
  bool triggers(size_t i) const {
    return inputs_[i].trigger;
  }

  /// Whether every input's watermark reached `t`.
  bool ready_for(int64_t t) const {
    return ready_wm() >= t;
  }

  /// Whether input `i` has an as-of value.
  bool has_value(size_t i) const {
    return inputs_[i].value_ts != wm_none;
  }

  /// Points waiting in all queues (backlog).
  size_t queued() const;

  /// Heap bytes held by the queues.
  size_t memory_bytes() const;

  /// Writes the whole join (queues, watermarks, as-of values), for a node
  /// that moves to another member.
  void save(state_writer& w) const;

  /// Takes over a join written by `save` of a join with as many inputs;
  /// returns false if it does not read back.
  bool load(state_reader& r);

private:
  struct input {
    std::vector<point> queue;
    size_t head = 0;
    int64_t wm = wm_none;
    int64_t last_ts = wm_none;
    int64_t value_ts = wm_none;
    bool trigger = false;
  };

  /// The smallest effective watermark over all inputs.
  int64_t ready_wm() const;

  /// Consumes every queued point at `t`; returns whether the node fires.
  bool consume(int64_t t);

  std::vector<input> inputs_;
  std::vector<double> args_;
  size_t ready_count_ = 0;
};

} // namespace shoal
