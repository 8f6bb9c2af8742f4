// The actor system settings every Shoal process uses.
//
// One place for what was chosen by measurement (see docs/performance.md):
// message types, scheduler threads and policy, logging.

#pragma once

#include <cstddef>

#include "caf/fwd.hpp"

namespace shoal {

/// Registers Shoal's types and applies the scheduler settings, with
/// `threads` scheduler threads (0: one per core).
void configure_system(caf::actor_system_config& cfg, size_t threads);

/// The scheduler thread count for `requested` (0: one per core).
size_t scheduler_threads(size_t requested);

} // namespace shoal
