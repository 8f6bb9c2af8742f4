// Process-wide counters for live status, health and flow control.
//
// These are rates and gauges for people and for pacing sources, updated with
// relaxed atomics from any thread. Results that must be exact (the replay
// summary, tests) come from the actors' own counters instead.

#pragma once

#include <atomic>
#include <cstdint>

namespace shoal {

class metrics {
public:
  void add_samples(uint64_t accepted, uint64_t rejected) {
    samples_accepted_.fetch_add(accepted, std::memory_order_relaxed);
    samples_rejected_.fetch_add(rejected, std::memory_order_relaxed);
  }

  void add_firings(uint64_t firings, uint64_t outputs, uint64_t errors) {
    firings_.fetch_add(firings, std::memory_order_relaxed);
    outputs_.fetch_add(outputs, std::memory_order_relaxed);
    errors_.fetch_add(errors, std::memory_order_relaxed);
  }

  /// A batch was sent to an actor of this process.
  void batch_sent() {
    backlog_.fetch_add(1, std::memory_order_relaxed);
  }

  /// A batch was taken out of a mailbox of this process.
  void batch_received() {
    backlog_.fetch_sub(1, std::memory_order_relaxed);
  }

  uint64_t samples_accepted() const {
    return samples_accepted_.load(std::memory_order_relaxed);
  }
  uint64_t samples_rejected() const {
    return samples_rejected_.load(std::memory_order_relaxed);
  }
  uint64_t firings() const {
    return firings_.load(std::memory_order_relaxed);
  }
  uint64_t outputs() const {
    return outputs_.load(std::memory_order_relaxed);
  }
  uint64_t errors() const {
    return errors_.load(std::memory_order_relaxed);
  }
  /// Batches sent but not yet handled (mailbox backlog).
  int64_t backlog() const {
    return backlog_.load(std::memory_order_relaxed);
  }

private:
  std::atomic<uint64_t> samples_accepted_{0};
  std::atomic<uint64_t> samples_rejected_{0};
  std::atomic<uint64_t> firings_{0};
  std::atomic<uint64_t> outputs_{0};
  std::atomic<uint64_t> errors_{0};
  std::atomic<int64_t> backlog_{0};
};

/// The counters of this process.
metrics& process_metrics();

} // namespace shoal
