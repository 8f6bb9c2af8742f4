// Deterministic samples for the synthetic plant (synthetic_graph.hpp).
//
// Every sensor samples periodically: with S sensors and a total rate R
// samples/s, sensor s emits at `ts = k * P + phase_s` for every integer k,
// where `P = round(S * 1e9 / R)` ns and `phase_s` in [0, P) is drawn from the
// seed on a grid of 4 S slots, so about a fifth of the sensors share their
// timestamps with another sensor (equal timestamps across sensors happen, as
// they do in plants sampled on one clock). A sensor's timestamps are
// strictly increasing. The value at slot k is a slow sine around a per-sensor
// level plus noise, a function of (seed, s, k) alone; so any window of time
// gives the same samples whatever was generated before, and a live feed can
// ask for `[last, now)` on the wall clock.
//
// Samples come in timestamp order, ties by sensor index: a file of them has
// no late or out-of-order rows. A generator is an immutable value; its const
// functions are safe from any thread.

#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "caf/error.hpp"

namespace shoal {

/// One generated sample of sensor `sensor` (an index into the names).
struct synthetic_sample {
  uint32_t sensor = 0;
  int64_t ts = 0;
  double value = 0;

  friend bool operator==(const synthetic_sample& x, const synthetic_sample& y) {
    return x.sensor == y.sensor && x.ts == y.ts && x.value == y.value;
  }
};

class sample_generator {
public:
  /// Where files of samples start: 2023-11-14T22:13:20Z, in ns.
  static constexpr int64_t default_start_ns = 1'700'000'000'000'000'000;

  /// Samples `sensor_names` (in that order) at a total of `rate_per_s`
  /// samples per second (> 0). Precondition: at least one sensor.
  sample_generator(std::vector<std::string> sensor_names, double rate_per_s,
                   uint64_t seed);

  /// Appends the samples with `from_ns <= ts < to_ns` to `out`, in order.
  void generate(int64_t from_ns, int64_t to_ns,
                std::vector<synthetic_sample>& out) const;

  /// The first `n` samples with `ts >= start_ns`, in order.
  std::vector<synthetic_sample> first(size_t n, int64_t start_ns
                                                = default_start_ns) const;

  const std::vector<std::string>& sensor_names() const {
    return names_;
  }

  /// The sampling period of every sensor, in ns.
  int64_t period_ns() const {
    return period_;
  }

  /// The total rate after rounding the period: sensors * 1e9 / period.
  double rate_per_s() const;

private:
  /// The sample of sensor `s` in period `k`.
  synthetic_sample sample_at(uint32_t s, int64_t k) const;

  /// Appends period `k`'s samples with `from_ns <= ts < to_ns`; stops once
  /// `out` holds `limit` samples.
  void period_samples(int64_t k, int64_t from_ns, int64_t to_ns,
                      std::vector<synthetic_sample>& out, size_t limit) const;

  std::vector<std::string> names_;
  int64_t period_;
  uint64_t seed_;
  /// Per sensor: phase, level, amplitude and cycle length in periods.
  std::vector<int64_t> phase_;
  std::vector<double> level_;
  std::vector<double> amplitude_;
  std::vector<int64_t> cycle_;
  /// Sensor indices ordered by (phase, index): the order within a period.
  std::vector<uint32_t> order_;
};

/// Writes the first `n` samples of `gen` (from `start_ns`) as an input CSV
/// (SPEC section 6) to `path`, values printed so that they parse back to the
/// same double. An `errc::io_error` if the file cannot be written.
caf::error write_samples_csv(const std::string& path,
                             const sample_generator& gen, size_t n,
                             int64_t start_ns
                             = sample_generator::default_start_ns);

} // namespace shoal
