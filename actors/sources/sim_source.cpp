#include "actors/sources/sim_source.hpp"

#include "caf/all.hpp"

namespace shoal {

caf::behavior sim_source(caf::stateful_actor<sim_source_state>* self,
                         std::shared_ptr<const sensor_directory> dir,
                         std::vector<caf::actor> sensors, uint64_t key,
                         sim_options opts) {
  return live_source(self, std::make_shared<plant_feed>(opts.plant),
                     std::move(dir), std::move(sensors), key,
                     live_options{opts.allowed_lateness_ns, opts.tick,
                                  opts.tracker, opts.clock, opts.live});
}

} // namespace shoal
