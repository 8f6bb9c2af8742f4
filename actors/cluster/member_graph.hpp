// The first graph of a cluster: deploying it over the members, where its
// nodes go being runtime/cluster/placement.hpp's `place_graph`. The
// coordinator of graph changes (actors/cluster/coordinator.hpp) calls
// `apply_graph` when nothing runs yet. `apply_graph` runs in the member
// actor and reports to the coordinator through its calls.

#pragma once

#include <string>
#include <vector>

#include "caf/response_promise.hpp"

#include "actors/cluster/member_actor.hpp"

namespace shoal {

/// Deploys `g` (validated) over the current members and delivers a summary
/// to `rp`; on any failure, delivers the error and deploys nothing more.
void apply_graph(member_self self, graph_spec g, caf::response_promise rp);

} // namespace shoal
