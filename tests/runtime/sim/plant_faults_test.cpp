// The fault schedule of the simulated plant (runtime/sim/plant_faults.hpp) and
// what each kind of fault does to the readings.

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>
#include <map>
#include <numeric>
#include <vector>

#include "runtime/sim/plant_sim.hpp"
#include "tests/support/plant_samples.hpp"

using namespace shoal;
using namespace shoal::test_support;

TEST(PlantSim, FaultsOccurOverAnHour) {
  plant_sim sim{plant_config{}};
  auto fs = sim.faults(t0, t0 + 3600 * sec);
  ASSERT_FALSE(fs.empty());
  std::map<fault_kind, int> kinds;
  for (size_t i = 0; i < fs.size(); ++i) {
    const auto& f = fs[i];
    ++kinds[f.kind];
    EXPECT_LT(f.start, f.end);
    EXPECT_LE(f.start, t0 + 3600 * sec);
    EXPECT_GT(f.end, t0);
    EXPECT_EQ(f.sensor / sensors_per_pump, static_cast<uint32_t>(f.pump));
    if (i > 0) {
      EXPECT_LE(fs[i - 1].start, f.start);
    }
  }
  EXPECT_GT(kinds[fault_kind::bearing_wear], 0);
  EXPECT_GT(kinds[fault_kind::cavitation], 0);
  EXPECT_GT(kinds[fault_kind::sensor_glitch], 0);
  // Faults are rare enough that most pumps are healthy at any moment.
  auto now = sim.faults(t0 + 1800 * sec, t0 + 1800 * sec + 1);
  EXPECT_LT(now.size(), 20u);
}

TEST(PlantSim, BearingWearRaisesVibrationAndTemperature) {
  plant_sim sim{plant_config{}};
  auto f = find_fault(sim, fault_kind::bearing_wear, 1200 * sec);
  ASSERT_TRUE(f);
  auto vib = sensor_of(f->pump, sim_sensor::vibration);
  auto temp = sensor_of(f->pump, sim_sensor::temp);
  auto before_vib = mean_of(sim, vib, f->start - 60 * sec, f->start);
  auto late_vib = mean_of(sim, vib, f->end - 60 * sec, f->end - 1);
  EXPECT_GT(late_vib, before_vib + 3.0);
  EXPECT_GT(late_vib, 4.5); // ISO zone C: unsatisfactory
  auto before_temp = mean_of(sim, temp, f->start - 60 * sec, f->start);
  auto late_temp = mean_of(sim, temp, f->end - 60 * sec, f->end - 1);
  EXPECT_GT(late_temp, before_temp + 5.0);
}

TEST(PlantSim, CavitationLowersPressureAndMakesItNoisy) {
  plant_sim sim{plant_config{}};
  auto f = find_fault(sim, fault_kind::cavitation, 1200 * sec);
  ASSERT_TRUE(f);
  auto bar = sensor_of(f->pump, sim_sensor::pressure);
  auto mid = f->start + (f->end - f->start) / 2;
  auto std_of = [&](int64_t from, int64_t to) {
    std::vector<double> v;
    for (const auto& s : run(sim, from, to))
      if (s.sensor == bar && std::isfinite(s.value))
        v.push_back(s.value);
    double m = std::accumulate(v.begin(), v.end(), 0.0)
               / static_cast<double>(v.size());
    double ss = 0;
    for (auto x : v)
      ss += (x - m) * (x - m);
    return std::sqrt(ss / static_cast<double>(v.size()));
  };
  auto before = mean_of(sim, bar, f->start - 30 * sec, f->start);
  auto during = mean_of(sim, bar, mid - 15 * sec, mid + 15 * sec);
  EXPECT_LT(during, 0.8 * before);
  EXPECT_GT(std_of(mid - 15 * sec, mid + 15 * sec),
            4 * std_of(f->start - 30 * sec, f->start));
}

TEST(PlantSim, GlitchingSensorSendsNaNs) {
  plant_sim sim{plant_config{}};
  // A glitch of a fast sensor, so that its window holds plenty of readings.
  auto fs = sim.faults(t0, t0 + 6 * 3600 * sec);
  auto f = std::find_if(fs.begin(), fs.end(), [](const sim_fault& x) {
    return x.kind == fault_kind::sensor_glitch
           && x.sensor % sensors_per_pump != 0;
  });
  ASSERT_NE(f, fs.end());
  double nans = 0;
  double readings = 0;
  double other_nans = 0;
  double other_readings = 0;
  for (const auto& s : run(sim, f->start, f->end - 1)) {
    auto mine = s.sensor == f->sensor;
    (mine ? readings : other_readings) += 1;
    if (std::isnan(s.value))
      (mine ? nans : other_nans) += 1;
  }
  ASSERT_GT(readings, 250);
  EXPECT_GT(nans / readings, 0.01);
  EXPECT_LT(other_nans / other_readings, 0.001);
}
