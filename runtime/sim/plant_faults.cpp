#include "runtime/sim/plant_faults.hpp"

#include <algorithm>

#include "runtime/sim/sim_random.hpp"

namespace shoal {

using namespace sim_random;

namespace {

constexpr int64_t fault_slot = 1200 * sec; // at most one new fault per 20 min
constexpr double fault_chance = 0.3;       // per pump and fault slot

/// The fault of pump `p` that starts in fault slot `slot`, if any.
bool fault_in_slot(uint64_t seed, int p, int64_t slot, sim_fault& f) {
  auto n = static_cast<uint64_t>(slot) * 3;
  if (uniform(draw(seed, n)) >= fault_chance)
    return false;
  auto h = draw(seed, n + 1);
  auto which = uniform(h);
  auto span = static_cast<double>(h & 0xFFFFFFFF) * 0x1.0p-32;
  double minutes = 0;
  if (which < 0.4) {
    f.kind = fault_kind::bearing_wear;
    minutes = 8 + 12 * span;
  } else if (which < 0.75) {
    f.kind = fault_kind::cavitation;
    minutes = 2 + 6 * span;
  } else {
    f.kind = fault_kind::sensor_glitch;
    minutes = 0.5 + 2.5 * span;
  }
  auto h2 = draw(seed, n + 2);
  f.pump = p;
  f.start
    = slot * fault_slot
      + static_cast<int64_t>(uniform(h2) * static_cast<double>(fault_slot));
  // Strictly shorter than a fault slot, so only the previous slot's fault can
  // still be active.
  f.end = f.start + static_cast<int64_t>(minutes * 60e9) - 1;
  f.sensor = static_cast<uint32_t>(p) * sensors_per_pump
             + static_cast<uint32_t>(h2 & 3);
  return true;
}

} // namespace

const char* to_string(fault_kind x) {
  switch (x) {
    case fault_kind::bearing_wear: return "bearing_wear";
    case fault_kind::cavitation: return "cavitation";
    case fault_kind::sensor_glitch: return "sensor_glitch";
  }
  return "unknown";
}

fault_levels fault_levels_at(uint64_t stream, int p, int64_t ts) {
  fault_levels lv;
  auto slot = floor_div(ts, fault_slot);
  sim_fault f{};
  for (auto j = slot - 1; j <= slot; ++j) {
    if (!fault_in_slot(stream, p, j, f) || ts < f.start || ts >= f.end)
      continue;
    auto elapsed = static_cast<double>(ts - f.start);
    auto left = static_cast<double>(f.end - ts);
    switch (f.kind) {
      case fault_kind::bearing_wear:
        // Creeps up until the bearing is replaced at the end.
        lv.wear
          = std::max(lv.wear, elapsed / static_cast<double>(f.end - f.start));
        break;
      case fault_kind::cavitation:
        lv.cavitation = std::max(lv.cavitation,
                                 std::min({1.0, elapsed / 20e9, left / 20e9}));
        break;
      case fault_kind::sensor_glitch:
        lv.glitch_sensor = static_cast<int>(f.sensor);
        break;
    }
  }
  return lv;
}

void append_faults(uint64_t stream, int p, int64_t from_ns, int64_t to_ns,
                   std::vector<sim_fault>& out) {
  sim_fault f{};
  auto last = floor_div(to_ns, fault_slot);
  for (auto j = floor_div(from_ns, fault_slot) - 1; j <= last; ++j) {
    if (!fault_in_slot(stream, p, j, f))
      continue;
    auto first_ts = std::max(from_ns + 1, f.start);
    if (first_ts < f.end && first_ts <= to_ns)
      out.push_back(f);
  }
}

} // namespace shoal
