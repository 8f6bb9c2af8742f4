#include "runtime/sim/plant_sim.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <limits>

#include "runtime/sim/plant_faults.hpp"
#include "runtime/sim/sim_random.hpp"

namespace shoal {

using namespace sim_random;

namespace {

// -- the plant's physics, in one place ----------------------------------------

constexpr double two_pi = 6.283185307179586;
constexpr double load_base = 0.62;
constexpr double load_swing = 0.15;
constexpr int64_t step_slot = 600 * sec; // load may step every 10 minutes
constexpr double temp_tau_s = 240;       // thermal time constant
// Chances of a NaN and of a spike per reading, for a glitching sensor and
// for any other: rare, but a live demo should see a few every few seconds.
constexpr double glitch_nan = 0.04;
constexpr double glitch_spike = 0.04;
constexpr double stray_nan = 5e-5;
constexpr double stray_spike = 2e-4;
constexpr int64_t day = 86'400 * sec;

// Stream tags.
constexpr uint64_t tag_steps = 1;
constexpr uint64_t tag_faults = 2;
constexpr uint64_t tag_ambient = 3;
constexpr uint64_t tag_sensors = 4;

const std::array<const char*, sensors_per_pump> kind_names
  = {"temp", "vibration", "pressure", "current"};
const std::array<const char*, sensors_per_pump> kind_units
  = {"degC", "mm/s", "bar", "A"};

} // namespace

const std::array<pump_model, 3>& pump_models() {
  static const std::array<pump_model, 3> models = {{
    {"P-60", 6.0, 40.0, 18.0},
    {"P-80", 8.0, 60.0, 36.0},
    {"P-40", 4.0, 25.0, 7.5},
  }};
  return models;
}

int64_t plant_sim::period_ns(sim_sensor kind) {
  switch (kind) {
    case sim_sensor::temp: return sec;           // 1 Hz
    case sim_sensor::vibration: return sec / 50; // 50 Hz
    case sim_sensor::pressure: return sec / 10;  // 10 Hz
    case sim_sensor::current: return sec / 20;   // 20 Hz
  }
  return sec;
}

plant_sim::plant_sim(plant_config cfg) : seed_(cfg.seed) {
  auto n = std::max(cfg.pumps, 1);
  int width = n >= 100 ? static_cast<int>(std::to_string(n).size()) : 2;
  pumps_.reserve(static_cast<size_t>(n));
  for (int p = 0; p < n; ++p) {
    auto ps = sub(seed_, static_cast<uint64_t>(p) + 1);
    auto u = [&](uint64_t i) {
      return uniform(draw(ps, i));
    };
    pump_state st;
    st.model = &pump_models()[static_cast<size_t>(p) % 3];
    st.bar = st.model->rated_bar * (1 + 0.03 * (2 * u(0) - 1));
    st.amp = st.model->rated_amp * (1 + 0.03 * (2 * u(1) - 1));
    st.vib = 1.0 + 0.6 * u(2);
    st.ambient = 20 + 4 * u(3);
    st.load_period = (1200 + static_cast<int64_t>(u(4) * 1500)) * sec;
    st.load_phase = two_pi * u(5);
    st.day_phase = 0.3 * u(6);
    st.step_offset
      = static_cast<int64_t>(u(7) * static_cast<double>(step_slot));
    st.seed = ps;
    pumps_.push_back(st);
    char prefix[32];
    std::snprintf(prefix, sizeof(prefix), "pump%0*d.", width, p + 1);
    for (uint32_t k = 0; k < sensors_per_pump; ++k) {
      auto index = static_cast<uint32_t>(p) * sensors_per_pump + k;
      sensor_state s;
      s.pump = static_cast<uint32_t>(p);
      s.kind = static_cast<sim_sensor>(k);
      s.period = period_ns(s.kind);
      s.seed = sub(sub(seed_, tag_sensors), index);
      s.phase = static_cast<int64_t>(mix(s.seed ^ golden)
                                     % static_cast<uint64_t>(s.period));
      s.jitter = s.period / 20;
      sensors_.push_back(s);
      names_.push_back(prefix + std::string{kind_names[k]});
      units_.emplace_back(kind_units[k]);
    }
  }
}

double plant_sim::samples_per_second() const {
  double per_pump = 0;
  for (uint32_t k = 0; k < sensors_per_pump; ++k)
    per_pump
      += 1e9 / static_cast<double>(period_ns(static_cast<sim_sensor>(k)));
  return per_pump * static_cast<double>(pumps_.size());
}

// -- samples ------------------------------------------------------------------

void plant_sim::generate(int64_t from_ns, int64_t to_ns,
                         std::vector<sim_sample>& out) const {
  if (to_ns <= from_ns)
    return;
  auto first = out.size();
  for (uint32_t i = 0; i < sensors_.size(); ++i)
    generate_sensor(i, from_ns, to_ns, out);
  std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
            [](const sim_sample& x, const sim_sample& y) {
              return x.ts != y.ts ? x.ts < y.ts : x.sensor < y.sensor;
            });
}

void plant_sim::generate_sensor(uint32_t index, int64_t from_ns, int64_t to_ns,
                                std::vector<sim_sample>& out) const {
  const auto& s = sensors_[index];
  // Tick k is due at phase + k * period, moved by at most +-jitter.
  auto lo = floor_div(from_ns - s.phase - s.jitter, s.period);
  auto hi = floor_div(to_ns - s.phase + s.jitter, s.period);
  for (auto k = lo; k <= hi; ++k) {
    auto n = static_cast<uint64_t>(k) * 4;
    auto u = uniform(draw(s.seed, n));
    auto jit = static_cast<int64_t>(u * static_cast<double>(2 * s.jitter + 1))
               - s.jitter;
    auto ts = s.phase + k * s.period + jit;
    if (ts > from_ns && ts <= to_ns)
      out.push_back(sim_sample{index, ts, value_at(s, k, ts)});
  }
}

double plant_sim::value_at(const sensor_state& s, int64_t tick,
                           int64_t ts) const {
  auto p = static_cast<int>(s.pump);
  const auto& ps = pumps_[s.pump];
  auto n = static_cast<uint64_t>(tick) * 4;
  auto g = gauss(draw(s.seed, n + 1));
  auto lv = fault_levels_at(fault_stream(p), p, ts);
  auto wear = lv.wear;
  auto cav = lv.cavitation;
  auto x = load(p, ts);
  double v = 0;
  switch (s.kind) {
    case sim_sensor::temp:
      v = ambient(p, ts) + 28 * lagged_load(p, ts) + 12 * wear + 0.08 * g;
      break;
    case sim_sensor::vibration: {
      auto mean
        = ps.vib * (0.7 + 0.5 * x) + 5.5 * std::pow(wear, 1.5) + 1.2 * cav;
      v = std::max(mean * (1 + (0.05 + 0.25 * cav) * g), 0.05);
      break;
    }
    case sim_sensor::pressure: {
      auto mean = ps.bar * (1.2 - 0.2 * x * x) * (1 - 0.35 * cav);
      v = std::max(mean + ps.bar * (0.008 + 0.08 * cav) * g, 0.0);
      break;
    }
    case sim_sensor::current: {
      auto mean
        = ps.amp * (0.35 + 0.65 * x) * (1 + 0.06 * wear) * (1 - 0.05 * cav);
      v = mean * (1 + (0.01 + 0.04 * cav) * g);
      break;
    }
  }
  auto index
    = static_cast<int>(s.pump * sensors_per_pump) + static_cast<int>(s.kind);
  auto glitching = lv.glitch_sensor == index;
  auto nan_chance = glitching ? glitch_nan : stray_nan;
  auto spike_chance = glitching ? glitch_spike : stray_spike;
  auto u = uniform(draw(s.seed, n + 3));
  if (u < nan_chance)
    return std::numeric_limits<double>::quiet_NaN();
  if (u < nan_chance + spike_chance)
    v *= 4 + 4 * uniform(draw(s.seed, n + 2));
  return v;
}

// -- load and temperature -----------------------------------------------------

double plant_sim::step_level(int p, int64_t slot) const {
  auto u = uniform(draw(sub(pumps_[static_cast<size_t>(p)].seed, tag_steps),
                        static_cast<uint64_t>(slot)));
  // Half of the slots keep the base load; the others step by up to +-0.15.
  return u < 0.5 ? 0.0 : 0.15 * (4 * u - 3);
}

double plant_sim::load(int p, int64_t ts) const {
  const auto& ps = pumps_[static_cast<size_t>(p)];
  auto frac = static_cast<double>(floor_mod(ts, ps.load_period))
              / static_cast<double>(ps.load_period);
  auto slot = floor_div(ts - ps.step_offset, step_slot);
  return load_base + load_swing * std::sin(two_pi * frac + ps.load_phase)
         + step_level(p, slot);
}

double plant_sim::lagged_load(int p, int64_t ts) const {
  // Exact first-order lag of each part: the sinusoid in closed form, the
  // steps by running the lag over the last few slots (older ones have
  // decayed by exp(-7.5)).
  const auto& ps = pumps_[static_cast<size_t>(p)];
  auto omega_tau
    = two_pi * temp_tau_s / (static_cast<double>(ps.load_period) / 1e9);
  auto frac = static_cast<double>(floor_mod(ts, ps.load_period))
              / static_cast<double>(ps.load_period);
  auto swing = load_swing / std::sqrt(1 + omega_tau * omega_tau)
               * std::sin(two_pi * frac + ps.load_phase - std::atan(omega_tau));
  auto slot = floor_div(ts - ps.step_offset, step_slot);
  auto decay = std::exp(-static_cast<double>(step_slot) / 1e9 / temp_tau_s);
  auto y = step_level(p, slot - 4);
  for (auto j = slot - 3; j < slot; ++j) {
    auto level = step_level(p, j);
    y = level + (y - level) * decay;
  }
  auto level = step_level(p, slot);
  auto since = static_cast<double>(ts - ps.step_offset - slot * step_slot);
  y = level + (y - level) * std::exp(-since / 1e9 / temp_tau_s);
  return load_base + swing + y;
}

double plant_sim::ambient(int p, int64_t ts) const {
  const auto& ps = pumps_[static_cast<size_t>(p)];
  auto frac
    = static_cast<double>(floor_mod(ts, day)) / static_cast<double>(day);
  // Slow weather: smooth noise through knots 10 minutes apart.
  constexpr int64_t knot = 600 * sec;
  auto j = floor_div(ts, knot);
  auto t = static_cast<double>(ts - j * knot) / static_cast<double>(knot);
  auto seed = sub(ps.seed, tag_ambient);
  auto a = gauss(draw(seed, static_cast<uint64_t>(j)));
  auto b = gauss(draw(seed, static_cast<uint64_t>(j + 1)));
  auto w = t * t * (3 - 2 * t);
  return ps.ambient + 2 * std::sin(two_pi * frac + ps.day_phase)
         + 0.7 * (a + (b - a) * w);
}

// -- faults -------------------------------------------------------------------

uint64_t plant_sim::fault_stream(int p) const {
  return sub(pumps_[static_cast<size_t>(p)].seed, tag_faults);
}

std::vector<sim_fault> plant_sim::faults(int64_t from_ns, int64_t to_ns) const {
  std::vector<sim_fault> result;
  if (to_ns <= from_ns)
    return result;
  for (int p = 0; p < pumps(); ++p)
    append_faults(fault_stream(p), p, from_ns, to_ns, result);
  std::sort(result.begin(), result.end(),
            [](const sim_fault& x, const sim_fault& y) {
              return x.start != y.start ? x.start < y.start : x.pump < y.pump;
            });
  return result;
}

} // namespace shoal
