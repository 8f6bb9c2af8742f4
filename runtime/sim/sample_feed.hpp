// Where a live source gets its samples: anything that can say which
// sensors it samples and produce the samples of a window of time.
//
// A feed is asked for consecutive windows `[from_ns, to_ns)` of wall-clock
// time by one live source (actors/sources/live_source.hpp); it owns its
// generator. Implementations: `plant_feed` (the simulated plant of the demo,
// below) and the synthetic plant of shoal-bench
// (apps/shoal-bench/bench_live.cpp). Not thread-safe unless an implementation
// says so; `generated()` may be read from any thread.

#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/sim/plant_sim.hpp"

namespace shoal {

class sample_feed {
public:
  virtual ~sample_feed() = default;

  /// The sensors, in the order `sim_sample::sensor` indexes them.
  virtual const std::vector<std::string>& sensor_names() const = 0;

  /// Appends the samples with `from_ns <= ts < to_ns` to `out`, in
  /// timestamp order per sensor.
  virtual void generate(int64_t from_ns, int64_t to_ns,
                        std::vector<sim_sample>& out)
    = 0;

  /// Samples generated so far; safe from any thread.
  uint64_t generated() const {
    return generated_.load(std::memory_order_relaxed);
  }

protected:
  /// For implementations: counts `n` more generated samples.
  void count(uint64_t n) {
    generated_.fetch_add(n, std::memory_order_relaxed);
  }

private:
  std::atomic<uint64_t> generated_{0};
};

/// The simulated plant (runtime/sim/plant_sim.hpp) as a feed.
class plant_feed : public sample_feed {
public:
  explicit plant_feed(const plant_config& cfg) : sim_(cfg) {
    // nop
  }

  const std::vector<std::string>& sensor_names() const override {
    return sim_.sensor_names();
  }

  void generate(int64_t from_ns, int64_t to_ns,
                std::vector<sim_sample>& out) override {
    auto before = out.size();
    sim_.generate(from_ns, to_ns, out);
    count(out.size() - before);
  }

private:
  plant_sim sim_;
};

} // namespace shoal
