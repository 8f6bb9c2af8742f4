#include "tests/support/plant_samples.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace shoal::test_support {

std::vector<sim_sample> run(const plant_sim& sim, int64_t from, int64_t to) {
  std::vector<sim_sample> out;
  sim.generate(from, to, out);
  return out;
}

double mean_of(const plant_sim& sim, uint32_t sensor, int64_t from,
               int64_t to) {
  double sum = 0;
  size_t n = 0;
  for (const auto& s : run(sim, from, to))
    if (s.sensor == sensor && std::isfinite(s.value)) {
      sum += s.value;
      ++n;
    }
  return n == 0 ? NAN : sum / static_cast<double>(n);
}

uint32_t sensor_of(int pump, sim_sensor kind) {
  return static_cast<uint32_t>(pump) * sensors_per_pump
         + static_cast<uint32_t>(kind);
}

std::optional<sim_fault> find_fault(const plant_sim& sim, fault_kind kind,
                                    int64_t quiet, int64_t horizon) {
  auto all = sim.faults(t0, t0 + horizon);
  for (const auto& f : all) {
    if (f.kind != kind)
      continue;
    auto before = sim.faults(f.start - quiet, f.start - 1);
    auto busy
      = std::any_of(before.begin(), before.end(), [&](const sim_fault& g) {
          return g.pump == f.pump;
        });
    if (!busy)
      return f;
  }
  return std::nullopt;
}

} // namespace shoal::test_support
