// Progress tracking: watermarks for a whole process without a message per
// edge.
//
// In live mode every sensor's watermark follows the wall clock, so a join
// that waits for another sensor's watermark would, with watermarks asked
// edge by edge, send a request through that sensor's whole upstream cone
// for every sample. Instead, the actors of one deployment count their work
// here, in the manner of Naiad's progress tracking with the graph's depth as
// the path summary:
//
// - Every node has a band: its depth in the graph (sensors 0, a node one
//   more than its deepest input), capped at `max_bands - 1`.
// - An item is a data batch in flight to a node, or a node's queued firings
//   that wait for a watermark. Items are counted per band and per epoch of
//   their smallest timestamp (epochs are `epoch_ns` wide). A sender counts
//   a batch before it sends it and before it releases the item it is
//   working on; a receiver releases the batch after it handled it (and after
//   counting what it sent and what it now holds).
// - Sources declare their watermarks. The frontier of band `b` is the
//   largest `F` such that no source will send a sample at or before `F` and
//   no band below `b` holds an item at or before `F`: nothing at or before
//   `F` will reach a node of band `b` from a lower band any more.
// - A node that waits for the watermark of inputs in lower bands registers
//   with `wait`; `advance` sends it `(frontier_atom, band, F)` once its band's
//   frontier reached what it waits for. The notice is sent after every
//   batch the frontier accounts for was enqueued, so the node handles them
//   first (CAF mailboxes are FIFO in enqueue order).
//
// Inputs in the same or a higher band (possible only past the cap) and
// actors outside the deployment keep the edge-by-edge watermark protocol.
// Watermark traffic is one notice per waiting node per advance: it never
// follows the number of idle edges.
//
// Thread-safe: counting is lock-free; `wait` and `advance` take a mutex.

#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <queue>
#include <utility>
#include <vector>

#include "caf/actor.hpp"
#include "caf/expected.hpp"

#include "runtime/core/types.hpp"

namespace shoal {

class progress_tracker {
public:
  /// Band of actors that are not counted (sinks, other processes).
  static constexpr uint32_t no_band = UINT32_MAX;

  /// Largest number of bands.
  static constexpr uint32_t max_bands = 64;

  /// Largest number of sources.
  static constexpr size_t max_sources = 64;

  /// Creates a tracker for nodes in `bands` bands (at most `max_bands`).
  explicit progress_tracker(uint32_t bands, int64_t epoch_ns = 1'000'000,
                            uint32_t slots = 1u << 14);

  uint32_t bands() const {
    return bands_;
  }

  /// Items are counted by token: the epoch of their smallest timestamp,
  /// or (far ahead of the slowest band) an overflow entry. Items must not
  /// carry timestamps at or before the watermark of every source.
  static constexpr int64_t no_token = INT64_MIN;

  /// The token of an item whose smallest timestamp is `ts`.
  int64_t token_for(int64_t ts) const;

  /// Counts `n` items of band `band`.
  void add(uint32_t band, int64_t token, int64_t n = 1) {
    if (token >= 0)
      slot(band, token).fetch_add(n, std::memory_order_seq_cst);
    else
      add_overflow(band, token, n);
  }

  /// Releases one item counted with `add(band, token)`.
  void release(uint32_t band, int64_t token) {
    if (token >= 0)
      slot(band, token).fetch_sub(1, std::memory_order_seq_cst);
    else if (token != no_token)
      add_overflow(band, token, -1);
  }

  /// Registers a source that will send nothing at or before `wm` (which
  /// must not be negative). Returns its index, or an error if there are
  /// `max_sources` already.
  caf::expected<size_t> add_source(int64_t wm);

  /// Source `src` will send no sample at or before `wm` any more. Call
  /// after counting and sending its samples up to `wm`.
  void set_source_wm(size_t src, int64_t wm);

  /// The node `who` of band `band` waits for that band's frontier to reach
  /// `ts`. Returns the band's frontier as of the last `advance`: if it
  /// already reached `ts`, the caller must send the notice to itself (through
  /// its mailbox, behind the batches the frontier accounts for) instead of
  /// waiting, and nothing is registered.
  int64_t wait(uint32_t band, int64_t ts, caf::actor who);

  /// Recomputes the frontiers and calls `notify(who, band, frontier)` for
  /// every waiter whose band's frontier reached its timestamp. Returns without
  /// work if another thread is advancing.
  template <class Notify>
  void advance(Notify&& notify) {
    std::unique_lock<std::mutex> guard{advance_mtx_, std::try_to_lock};
    if (!guard.owns_lock())
      return;
    recompute();
    std::lock_guard<std::mutex> waiting{wait_mtx_};
    for (uint32_t b = 0; b < bands_; ++b) {
      auto f = frontier_[b].load();
      auto& q = waiters_[b];
      while (!q.empty() && q.top().ts <= f) {
        notify(q.top().who, b, f);
        q.pop();
      }
    }
  }

  /// As `advance`, from a node that released items, at most once per
  /// `gap_ns` of `now_ns` over all callers: the frontiers then move as the
  /// work below them ends instead of at the sources' next tick, so a chain
  /// of joins in several bands does not wait a tick per band.
  template <class Notify>
  void nudge(int64_t now_ns, int64_t gap_ns, Notify&& notify) {
    auto last = last_nudge_.load(std::memory_order_relaxed);
    if (now_ns - last < gap_ns
        || !last_nudge_.compare_exchange_strong(last, now_ns))
      return;
    advance(std::forward<Notify>(notify));
  }

  /// The frontier of band `b` as of the last `advance`.
  int64_t frontier(uint32_t b) const;

  /// Items counted but not released, over all bands (for tests).
  int64_t outstanding() const;

private:
  struct waiter {
    int64_t ts;
    caf::actor who;
    bool operator<(const waiter& other) const {
      return ts > other.ts; // min-heap
    }
  };

  std::atomic<int64_t>& slot(uint32_t band, int64_t epoch) {
    auto i = static_cast<uint64_t>(epoch) & (slots_ - 1);
    return counts_[band * static_cast<size_t>(slots_) + i];
  }

  void recompute();

  void add_overflow(uint32_t band, int64_t token, int64_t n);

  int64_t overflow_min(uint32_t band);

  uint32_t bands_;
  int64_t epoch_ns_;
  uint32_t slots_;
  std::unique_ptr<std::atomic<int64_t>[]> counts_;
  /// Smallest epoch that may hold an item, over all bands.
  std::atomic<int64_t> low_{0};
  /// Source watermarks, `sources_` of them.
  std::array<std::atomic<int64_t>, max_sources> source_wm_;
  std::atomic<size_t> sources_{0};
  std::unique_ptr<std::atomic<int64_t>[]> frontier_;
  /// Held by `advance`.
  std::mutex advance_mtx_;
  std::vector<int64_t> cursor_;
  bool started_ = false;
  /// Guards `waiters_`.
  std::mutex wait_mtx_;
  std::vector<std::priority_queue<waiter>> waiters_;
  /// When `nudge` last advanced.
  std::atomic<int64_t> last_nudge_{0};
  /// Guards `overflow_`: per band, epoch -> items.
  std::mutex overflow_mtx_;
  std::vector<std::map<int64_t, int64_t>> overflow_;
};

} // namespace shoal
