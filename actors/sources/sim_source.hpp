// A live source fed by the simulated plant (the bundled demo): a
// live_source (actors/sources/live_source.hpp) over a `plant_feed`.
//
// The owner sends the first `tick_atom` once the sensors are attached; the
// messages are those of live_source.

#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "caf/actor.hpp"
#include "caf/stateful_actor.hpp"

#include "actors/sources/live_source.hpp"
#include "runtime/sim/plant_sim.hpp"

namespace shoal {

struct sim_options {
  plant_config plant;
  int64_t allowed_lateness_ns = 100'000'000;
  std::chrono::milliseconds tick{1};
  /// The deployment's progress tracker, if it tracks progress.
  std::shared_ptr<progress_tracker> tracker;
  /// The clock `now` comes from; it must outlive the source.
  const wall_clock* clock = &system_clock();
  /// The live counters; it must outlive the source.
  metrics* live = &process_metrics();
};

using sim_source_state = live_source_state;

/// Feeds `sensors` (indexed like `dir`) from a simulated plant.
caf::behavior sim_source(caf::stateful_actor<sim_source_state>* self,
                         std::shared_ptr<const sensor_directory> dir,
                         std::vector<caf::actor> sensors, uint64_t key,
                         sim_options opts);

} // namespace shoal
