#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <gtest/gtest.h>
#include <map>
#include <numeric>
#include <vector>

#include "runtime/sim/plant_sim.hpp"
#include "tests/support/plant_samples.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

/// Bitwise equality, so that NaN readings compare equal to themselves.
bool same(const sim_sample& x, const sim_sample& y) {
  return x.sensor == y.sensor && x.ts == y.ts
         && std::memcmp(&x.value, &y.value, sizeof(double)) == 0;
}

bool same(const std::vector<sim_sample>& xs,
          const std::vector<sim_sample>& ys) {
  if (xs.size() != ys.size())
    return false;
  for (size_t i = 0; i < xs.size(); ++i)
    if (!same(xs[i], ys[i]))
      return false;
  return true;
}

} // namespace

TEST(PlantSim, NamesSensorsPerPump) {
  plant_sim sim{plant_config{}};
  const auto& names = sim.sensor_names();
  ASSERT_EQ(names.size(), 200u);
  EXPECT_EQ(names[0], "pump01.temp");
  EXPECT_EQ(names[1], "pump01.vibration");
  EXPECT_EQ(names[2], "pump01.pressure");
  EXPECT_EQ(names[3], "pump01.current");
  EXPECT_EQ(names[199], "pump50.current");
  EXPECT_EQ(sim.sensor_units()[1], "mm/s");
  plant_sim big{plant_config{120, 1}};
  EXPECT_EQ(big.sensor_names()[4], "pump002.temp");
  EXPECT_DOUBLE_EQ(sim.samples_per_second(), 50 * 81.0);
}

TEST(PlantSim, SameConfigGivesSameSamples) {
  plant_sim a{plant_config{10, 7}};
  plant_sim b{plant_config{10, 7}};
  auto xs = run(a, t0, t0 + 20 * sec);
  ASSERT_FALSE(xs.empty());
  EXPECT_TRUE(same(xs, run(b, t0, t0 + 20 * sec)));
  // Earlier calls leave no trace.
  run(a, t0 + 500 * sec, t0 + 900 * sec);
  EXPECT_TRUE(same(xs, run(a, t0, t0 + 20 * sec)));
  // Another seed gives another plant.
  plant_sim c{plant_config{10, 8}};
  EXPECT_FALSE(same(xs, run(c, t0, t0 + 20 * sec)));
}

TEST(PlantSim, SplittingTimeGivesSameSamples) {
  plant_sim sim{plant_config{8, 42}};
  auto whole = run(sim, t0, t0 + 30 * sec);
  std::vector<sim_sample> parts;
  // Irregular steps, from 1 ns to several seconds, as a live loop would make.
  int64_t steps[] = {1, 7, 999'999, 20'000'000, 3 * sec, 123'456'789, 1};
  auto at = t0;
  for (size_t i = 0; at < t0 + 30 * sec; ++i) {
    auto next = std::min(at + steps[i % 7], t0 + 30 * sec);
    sim.generate(at, next, parts);
    at = next;
  }
  EXPECT_TRUE(same(whole, parts));
}

TEST(PlantSim, SamplesAreSortedInRangeAndStrictlyIncreasingPerSensor) {
  plant_sim sim{plant_config{20, 3}};
  auto from = t0 + 123;
  auto to = t0 + 60 * sec + 456;
  auto xs = run(sim, from, to);
  std::vector<int64_t> last(sim.sensor_names().size(), from);
  for (size_t i = 0; i < xs.size(); ++i) {
    ASSERT_GT(xs[i].ts, from);
    ASSERT_LE(xs[i].ts, to);
    if (i > 0) {
      ASSERT_TRUE(
        xs[i - 1].ts < xs[i].ts
        || (xs[i - 1].ts == xs[i].ts && xs[i - 1].sensor < xs[i].sensor));
    }
    ASSERT_GT(xs[i].ts, last[xs[i].sensor]) << "sensor " << xs[i].sensor;
    last[xs[i].sensor] = xs[i].ts;
  }
}

TEST(PlantSim, SensorsTickOnTheirOwnPhase) {
  plant_sim sim{plant_config{}};
  // One second holds one reading of each of the 50 temperature sensors, and
  // their timestamps are all different.
  std::map<int64_t, int> stamps;
  for (const auto& s : run(sim, t0, t0 + sec))
    if (s.sensor % sensors_per_pump == 0)
      ++stamps[s.ts];
  EXPECT_GE(stamps.size(), 49u);
}

TEST(PlantSim, RatesAreWithinTenPercentOfNominal) {
  plant_sim sim{plant_config{5, 11}};
  constexpr int64_t span = 600;
  auto xs = run(sim, t0, t0 + span * sec);
  std::array<double, sensors_per_pump> counts{};
  for (const auto& s : xs)
    ++counts[s.sensor % sensors_per_pump];
  for (uint32_t k = 0; k < sensors_per_pump; ++k) {
    auto nominal
      = 1e9
        / static_cast<double>(plant_sim::period_ns(static_cast<sim_sensor>(k)));
    auto rate = counts[k] / (5.0 * span);
    EXPECT_NEAR(rate, nominal, 0.1 * nominal) << "sensor kind " << k;
  }
  auto total = static_cast<double>(xs.size()) / span;
  EXPECT_NEAR(total, sim.samples_per_second(), 0.1 * sim.samples_per_second());
}

TEST(PlantSim, ReadingsArePlausibleForHealthyPumps) {
  plant_sim sim{plant_config{6, 5}};
  // Pick a minute in which pump 0 (a P-60) has no fault.
  auto from = t0;
  while (!sim.faults(from - 1200 * sec, from + 60 * sec).empty()
         && from < t0 + 24 * 3600 * sec)
    from += 600 * sec;
  auto to = from + 60 * sec;
  auto temp = mean_of(sim, sensor_of(0, sim_sensor::temp), from, to);
  auto vib = mean_of(sim, sensor_of(0, sim_sensor::vibration), from, to);
  auto bar = mean_of(sim, sensor_of(0, sim_sensor::pressure), from, to);
  auto amp = mean_of(sim, sensor_of(0, sim_sensor::current), from, to);
  EXPECT_GT(temp, 25);
  EXPECT_LT(temp, 60);
  EXPECT_GT(vib, 0.5);
  EXPECT_LT(vib, 2.8); // ISO 10816 zone A/B for a pump of this size
  EXPECT_NEAR(bar, 6.0, 1.0);
  EXPECT_GT(amp, 0.35 * 18 * 0.9);
  EXPECT_LT(amp, 18 * 1.05);
}

TEST(PlantSim, CurrentFollowsLoad) {
  plant_sim sim{plant_config{3, 9}};
  // Over a simulated hour, 1-minute means of the current rise with the load.
  std::vector<double> loads;
  std::vector<double> amps;
  for (int m = 0; m < 60; ++m) {
    auto from = t0 + m * 60 * sec;
    loads.push_back(sim.load(1, from + 30 * sec));
    amps.push_back(mean_of(sim, sensor_of(1, sim_sensor::current),
                           from + 29 * sec, from + 31 * sec));
  }
  auto mean = [](const std::vector<double>& v) {
    return std::accumulate(v.begin(), v.end(), 0.0)
           / static_cast<double>(v.size());
  };
  auto ml = mean(loads);
  auto ma = mean(amps);
  double sxy = 0;
  double sxx = 0;
  double syy = 0;
  for (size_t i = 0; i < loads.size(); ++i) {
    if (!std::isfinite(amps[i]))
      continue;
    sxy += (loads[i] - ml) * (amps[i] - ma);
    sxx += (loads[i] - ml) * (loads[i] - ml);
    syy += (amps[i] - ma) * (amps[i] - ma);
  }
  EXPECT_GT(sxy / std::sqrt(sxx * syy), 0.8);
}
