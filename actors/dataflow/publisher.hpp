// The subscriber side of a node: who gets its outputs and its watermark.
//
// A publisher belongs to one actor (a sensor or a derived node) and is only
// used from that actor's handlers. Outputs queued with `push` go out on
// `flush` as one `batch` per subscriber that carries the node's output
// watermark. A watermark alone goes only to subscribers that asked for it
// (`request`) once it reaches what they asked for, and to everyone at end
// of stream: watermark traffic follows demand, not the number of edges.
// With a progress tracker, a batch of outputs is counted for every
// subscriber that has a band before it is sent (actors/dataflow/progress.hpp).

#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "caf/actor.hpp"
#include "caf/fwd.hpp"

#include "actors/dataflow/actor_index.hpp"
#include "actors/dataflow/progress.hpp"
#include "actors/messages.hpp"
#include "runtime/core/metrics.hpp"
#include "runtime/core/types.hpp"

namespace shoal {

/// Batches for several receivers, gathered while one actor runs several
/// nodes (actors/dataflow/cell_actor.hpp) and then sent as one message per
/// receiver: the batch itself, or a `std::vector<batch>` if there are several.
/// A receiver handles them in order, as if they had come one by one.
/// Requests for watermarks (`need`) are gathered too: the nodes of a cell
/// that lag behind inputs of one other actor ask it once per run, not once
/// per input and firing.
class outbox {
public:
  void add(const caf::actor& to, batch b);

  /// Asks `to` for its watermarks up to `t` (`(need_atom, t)`,
  /// actors/dataflow/data_edge.hpp). A receiver answers a need for every
  /// node the asking actor subscribed to, and keeps only the largest it
  /// was asked; so the requests of one run to one receiver go out as the
  /// smallest and the largest `t` (the smallest is answered at once where
  /// the watermark passed it, the largest once it gets there), instead of
  /// one message per node and input.
  void need(const caf::actor& to, int64_t t);

  /// Sends everything gathered and empties the outbox.
  void send(caf::event_based_actor* self);

private:
  std::vector<std::pair<caf::actor, std::vector<batch>>> items_;
  /// Where each receiver is in `items_`: a sensor's cell may send to
  /// thousands of node actors in one run.
  actor_index index_;
  /// The smallest and the largest `t` asked of each receiver in this run.
  struct need_range {
    caf::actor to;
    int64_t lo;
    int64_t hi;
  };
  std::vector<need_range> needs_;
  actor_index need_index_;
};

class publisher {
public:
  /// Publishes under `key`; counts batches with `tracker` if not null and
  /// the batches sent on `live` (the owner keeps both alive).
  explicit publisher(uint64_t key, progress_tracker* tracker = nullptr,
                     metrics* live = &process_metrics())
    : key_(key), tracker_(tracker), live_(live) {
    // nop
  }

  /// Adds `sub` unless it is already subscribed; `band` is its band in the
  /// tracker, or `progress_tracker::no_band`. A held subscriber (see
  /// `adopt`) subscribing is released: it gets what was kept for it.
  void add(caf::event_based_actor* self, caf::actor sub, uint32_t band);

  /// The subscribers, what each asked for and the watermark each was sent,
  /// for a node that moves to another member.
  void export_subscribers(std::vector<caf::actor>& subs,
                          std::vector<int64_t>& requested,
                          std::vector<int64_t>& sent) const;

  /// Takes over the subscribers of a node that moved here, as held: their
  /// outputs are kept until each subscribes here (having seen the moved
  /// node's last batch), so none arrives ahead of an older one. `last` is
  /// the moved node's latest output, `wm` its output watermark.
  void adopt(const std::vector<caf::actor>& subs,
             const std::vector<int64_t>& requested,
             const std::vector<int64_t>& sent, point last, int64_t wm);

  /// Subscriber `from` is now `to` (a node that moves), keeping what it
  /// asked for and was sent.
  void replace(const caf::actor& from, caf::actor to);

  /// Removes `sub` if subscribed.
  void remove(const caf::actor& sub);

  size_t size() const {
    return subs_.size();
  }

  /// Asks the CPU for the subscriber list ahead of a flush.
  void prefetch() const {
    __builtin_prefetch(subs_.data());
  }

  /// The key batches carry.
  uint64_t key() const {
    return key_;
  }

  /// Queues output `p` for the next flush; it becomes the latest output.
  void push(point p) {
    pending_.push_back(p);
    last_ = p;
  }

  /// The latest output, with `ts == wm_none` if there was none yet.
  point last() const {
    return last_;
  }

  /// Sends queued outputs with watermark `wm` to every subscriber, then the
  /// watermark alone to subscribers whose request `wm` now satisfies (and to
  /// all at end of stream). With `box`, the batches go there instead. With
  /// checkpoint mark `mark` (actors/dataflow/checkpoint_marks.hpp), every
  /// subscriber gets a batch that carries it after its points (with none,
  /// only the watermark and the mark); a held one gets no mark (a move
  /// ends the round anyway).
  void flush(caf::event_based_actor* self, int64_t wm, outbox* box = nullptr,
             uint64_t mark = 0);

  /// Subscriber `who` waits for a watermark of at least `ts`; answers at once
  /// if `wm` already satisfies it, else remembers the request. Returns false
  /// if `who` is no subscriber.
  bool request(caf::event_based_actor* self, const caf::strong_actor_ptr& who,
               int64_t ts, int64_t wm);

  /// The largest request still open, or `wm_none`.
  int64_t max_request() const;

private:
  struct subscriber {
    caf::actor handle;
    uint32_t band = progress_tracker::no_band;
    int64_t requested = wm_none;
    int64_t sent_wm = wm_none;
    /// Adopted from a moved node and not subscribed here yet: outputs wait
    /// in `kept_` (rare: kept apart, so that subscribers stay small).
    bool held = false;
    /// It runs in this process (`runs_here`, actors/dataflow/backlog.hpp):
    /// batches to it count in the mailbox backlog. Set with the handle.
    bool here = false;
  };

  /// What a held subscriber has not been sent yet.
  struct kept {
    caf::actor handle;
    std::vector<point> points;
    int64_t wm = wm_none;
  };

  kept& kept_for(const caf::actor& handle);

  /// The subscriber `handle`, or null.
  subscriber* find(const caf::actor& handle);

  void send_wm(caf::event_based_actor* self, subscriber& sub, int64_t wm,
               outbox* box = nullptr, uint64_t mark = 0);

  /// Adds `n` to the subscribers counted in band `band`.
  void count_band(uint32_t band, int64_t n);

  uint64_t key_;
  progress_tracker* tracker_;
  metrics* live_;
  std::vector<subscriber> subs_;
  /// Where each subscriber is in `subs_`, so that subscribing N actors costs
  /// O(N), not O(N^2).
  actor_index index_;
  /// Subscribers per band, for counting a batch once per band.
  std::vector<std::pair<uint32_t, int64_t>> bands_;
  std::vector<point> pending_;
  std::vector<kept> kept_;
  point last_{wm_none, 0.0};
};

} // namespace shoal
