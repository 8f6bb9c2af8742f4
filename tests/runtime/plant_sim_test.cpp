#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <gtest/gtest.h>
#include <map>
#include <numeric>
#include <optional>

#include "runtime/plant_sim.hpp"

using namespace shoal;

namespace {

constexpr int64_t sec = 1'000'000'000;

/// 2023-11-14, a realistic wall-clock start; the simulator works on absolute
/// time like a live source does.
constexpr int64_t t0 = 1'700'000'000 * sec;

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

std::vector<sim_sample> run(const plant_sim& sim, int64_t from, int64_t to) {
  std::vector<sim_sample> out;
  sim.generate(from, to, out);
  return out;
}

/// Mean of the finite readings of `sensor` in (from, to].
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

/// The first fault of `kind` in the hour after t0 that starts after a quiet
/// stretch of `quiet` for its pump.
std::optional<sim_fault> find_fault(const plant_sim& sim, fault_kind kind,
                                    int64_t quiet) {
  auto all = sim.faults(t0, t0 + 6 * 3600 * sec);
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
