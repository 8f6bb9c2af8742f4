// When a member considers its cluster formed: the one rule that the member
// actor (for readiness, actors/cluster/membership.hpp) and shoal-node (before
// it applies `[cluster] graph`) share.
//
// A member has joined once it knows another member. While it knows none, it
// keeps asking its seeds; once they have stayed silent for
// `alone_after_heartbeats` heartbeats it decides it is a cluster of one.
// Pure; thread-safe.

#pragma once

#include <chrono>
#include <cstddef>

namespace shoal {

/// Silent heartbeats after which a member with no peer runs alone.
constexpr int alone_after_heartbeats = 4;

/// Whether a member that knows `known` members (itself included) and has
/// looked for its seeds for `waited` considers the cluster formed.
bool cluster_formed(size_t known, std::chrono::nanoseconds waited,
                    std::chrono::milliseconds heartbeat);

} // namespace shoal
