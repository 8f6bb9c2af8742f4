// Process-wide counters for live status, health and flow control.
//
// These are rates and gauges for people and for pacing sources, updated from
// any thread. Results that must be exact (the replay summary, tests) come
// from the actors' own counters instead. Every counter is split into
// per-thread shards (each on its own cache line) so that scheduler threads
// never write the same line; a read sums the shards.

#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace shoal {

class metrics {
public:
  void add_samples(uint64_t accepted, uint64_t rejected) {
    auto& s = mine();
    bump(s.samples_accepted, accepted);
    bump(s.samples_rejected, rejected);
  }

  void add_firings(uint64_t firings, uint64_t outputs, uint64_t errors) {
    auto& s = mine();
    bump(s.firings, firings);
    bump(s.outputs, outputs);
    bump(s.errors, errors);
  }

  /// `n` batches were sent to actors of this process.
  void batch_sent(uint64_t n = 1) {
    bump(mine().sent, n);
  }

  /// A batch was taken out of a mailbox of this process; `mark_alone`: it
  /// carried a checkpoint mark and no points (see `worked`).
  void batch_received(bool mark_alone = false) {
    auto& s = mine();
    bump(s.received, 1);
    bump(s.marks_alone, mark_alone ? 1 : 0);
  }

  uint64_t samples_accepted() const {
    return sum(&shard::samples_accepted);
  }
  uint64_t samples_rejected() const {
    return sum(&shard::samples_rejected);
  }
  uint64_t firings() const {
    return sum(&shard::firings);
  }
  uint64_t outputs() const {
    return sum(&shard::outputs);
  }
  uint64_t errors() const {
    return sum(&shard::errors);
  }
  /// Batches taken out of mailboxes of this process so far.
  uint64_t received() const {
    return sum(&shard::received);
  }
  /// What this process did so far: samples, firings and batches taken,
  /// but not the batches that only carried a checkpoint mark, which a
  /// round sends where no data goes (so that a round after an idle one
  /// still finds nothing changed).
  uint64_t worked() const {
    return received() - sum(&shard::marks_alone) + samples_accepted()
           + samples_rejected() + firings();
  }
  /// Batches sent but not yet handled (mailbox backlog).
  int64_t backlog() const {
    return static_cast<int64_t>(sum(&shard::sent) - sum(&shard::received));
  }

private:
  struct alignas(64) shard {
    std::atomic<uint64_t> samples_accepted{0};
    std::atomic<uint64_t> samples_rejected{0};
    std::atomic<uint64_t> firings{0};
    std::atomic<uint64_t> outputs{0};
    std::atomic<uint64_t> errors{0};
    std::atomic<uint64_t> sent{0};
    std::atomic<uint64_t> received{0};
    std::atomic<uint64_t> marks_alone{0};
  };

  static constexpr size_t shard_count = 64;

  /// Only this thread writes its shard (threads beyond `shard_count` share),
  /// so a relaxed load and store would do; fetch_add keeps sharing safe.
  static void bump(std::atomic<uint64_t>& x, uint64_t n) {
    if (n != 0)
      x.fetch_add(n, std::memory_order_relaxed);
  }

  shard& mine();

  uint64_t sum(std::atomic<uint64_t> shard::*field) const {
    uint64_t n = 0;
    for (auto& s : shards_)
      n += (s.*field).load(std::memory_order_relaxed);
    return n;
  }

  std::array<shard, shard_count> shards_;
  std::atomic<size_t> next_{0};
};

/// The counters of this process.
metrics& process_metrics();

} // namespace shoal
