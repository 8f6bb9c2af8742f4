// Samples and faults of the simulated plant (runtime/sim/plant_sim.hpp) as
// tests look at them: all samples of an interval, the mean reading of one
// sensor, the first fault of a kind that starts on a healthy pump.
//
// Pure functions of their arguments; a `plant_sim` is safe to share.

#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "runtime/sim/plant_sim.hpp"

namespace shoal::test_support {

constexpr int64_t sec = 1'000'000'000;

/// 2023-11-14, a realistic wall-clock start; the simulator works on absolute
/// time like a live source does.
constexpr int64_t t0 = 1'700'000'000 * sec;

/// The samples with ts in (from, to].
std::vector<sim_sample> run(const plant_sim& sim, int64_t from, int64_t to);

/// Mean of the finite readings of `sensor` in (from, to].
double mean_of(const plant_sim& sim, uint32_t sensor, int64_t from, int64_t to);

/// The sensor index of `kind` on pump `pump` (0-based).
uint32_t sensor_of(int pump, sim_sensor kind);

/// The first fault of `kind` that starts in the `horizon` after t0, after a
/// quiet stretch of `quiet` for its pump.
std::optional<sim_fault> find_fault(const plant_sim& sim, fault_kind kind,
                                    int64_t quiet,
                                    int64_t horizon = 6 * 3600 * sec);

} // namespace shoal::test_support
