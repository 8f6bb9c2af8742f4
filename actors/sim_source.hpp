// A live source fed by the simulated plant (the bundled demo).
//
// The owner sends the first `tick_atom` once the sensors are attached.
// Every tick it asks the plant simulator for the samples between the last
// tick and now (wall clock), offers them to a live source filter, and sends
// them to the sensors; then it raises its watermark to
// `now - allowed_lateness_ns` and answers the sensors' watermark requests.
//
// Messages handled:
//   (caf::tick_atom)                      generates the next samples
//   (need_atom, int64_t ts, uint32_t i)   from sensor i

#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "caf/actor.hpp"
#include "caf/stateful_actor.hpp"

#include "actors/ingest_router.hpp"
#include "runtime/plant_sim.hpp"
#include "runtime/source_filter.hpp"

namespace shoal {

struct sim_options {
  plant_config plant;
  int64_t allowed_lateness_ns = 100'000'000;
  std::chrono::milliseconds tick{1};
};

struct sim_source_state {
  static inline const char* name = "shoal.sim";

  std::unique_ptr<plant_sim> sim;
  std::shared_ptr<const sensor_directory> dir;
  std::unique_ptr<source_filter> filter;
  std::unique_ptr<ingest_router> router;
  std::vector<sim_sample> buf;
  sim_options opts;
  int64_t last = 0;
};

/// Feeds `sensors` (indexed like `dir`) from a simulated plant.
caf::behavior sim_source(caf::stateful_actor<sim_source_state>* self,
                         std::shared_ptr<const sensor_directory> dir,
                         std::vector<caf::actor> sensors, uint64_t key,
                         sim_options opts);

/// Wall-clock time in nanoseconds since the Unix epoch.
int64_t wall_clock_ns();

} // namespace shoal
