#include "actors/deploy/system_config.hpp"

#include <cstdlib>
#include <string>
#include <thread>

#include "caf/actor_system_config.hpp"
#include "caf/atom.hpp"
#include "caf/scheduler/coordinator.hpp"

#include "actors/deploy/steal_policy.hpp"
#include "actors/messages.hpp"

namespace shoal {

size_t scheduler_threads(size_t requested) {
  if (requested > 0)
    return requested;
  auto cores = std::thread::hardware_concurrency();
  return cores > 0 ? cores : 1;
}

void configure_system(caf::actor_system_config& cfg, size_t threads) {
  register_types(cfg);
  cfg.set("scheduler.max-threads", scheduler_threads(threads));
  cfg.set("logger.verbosity", caf::atom("quiet"));
  // Shoal's work stealing unless SHOAL_SCHEDULER_POLICY names one of CAF's
  // own policies ("stealing", "sharing"), for comparison.
  if (auto env = std::getenv("SHOAL_SCHEDULER_POLICY"))
    cfg.set("scheduler.policy", caf::atom_from_string(env));
  else
    cfg.load<caf::scheduler::coordinator<steal_policy>>();
}

} // namespace shoal
