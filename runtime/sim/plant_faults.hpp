// The fault schedule of the simulated plant (plant_sim.hpp).
//
// Time is cut into fault slots of 20 minutes. In each slot a pump develops a
// fault with some chance, at a random time in the slot; a fault lasts less
// than a slot, so at any time only the faults of the current and of the
// previous slot can be active. Kind, start and length come from the pump's
// fault stream (sim_random.hpp) indexed by slot: a pure function of the
// stream seed and of absolute time.
//
// Free functions without state: safe from any thread.

#pragma once

#include <cstdint>
#include <vector>

#include "runtime/sim/plant_sim.hpp"

namespace shoal {

/// Severities of the faults of one pump active at one time.
struct fault_levels {
  /// Bearing wear in [0, 1].
  double wear = 0;
  /// Cavitation in [0, 1].
  double cavitation = 0;
  /// The glitching sensor (index into `sensor_names()`), or -1.
  int glitch_sensor = -1;
};

/// Severities of the faults of pump `p` (0-based) active at `ts`; `stream`
/// seeds the pump's fault stream.
fault_levels fault_levels_at(uint64_t stream, int p, int64_t ts);

/// Appends the faults of pump `p` (0-based) active at some time in
/// (from_ns, to_ns], ordered by start time; `stream` seeds the pump's fault
/// stream.
void append_faults(uint64_t stream, int p, int64_t from_ns, int64_t to_ns,
                   std::vector<sim_fault>& out);

} // namespace shoal
