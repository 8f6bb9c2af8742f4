#include "runtime/cluster/formation.hpp"

namespace shoal {

bool cluster_formed(size_t known, std::chrono::nanoseconds waited,
                    std::chrono::milliseconds heartbeat) {
  return known >= 2 || waited >= alone_after_heartbeats * heartbeat;
}

} // namespace shoal
