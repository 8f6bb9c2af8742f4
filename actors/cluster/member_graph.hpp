// The first graph of a cluster: where its nodes go and deploying it over
// the members. The coordinator of graph changes
// (actors/cluster/coordinator.hpp) calls `apply_graph` when nothing runs
// yet; the placement functions are also used by re-balancing
// (actors/cluster/rebalance.hpp). `apply_graph` runs in the member actor and
// reports to the coordinator through its calls.

#pragma once

#include <string>
#include <vector>

#include "caf/response_promise.hpp"

#include "actors/cluster/member_actor.hpp"

namespace shoal {

/// The cell of each node of the validated `g` (in `g.nodes` order): every
/// sensor starts a cell, numbered from 0, and a feature or model joins the
/// cell of its first input. `cells` gets the number of cells.
std::vector<size_t> cell_of_nodes(const graph_spec& g, size_t& cells);

/// Assigns each node of the validated `g` to one of `members` (by index).
/// Every sensor starts a cell; a feature or model joins the cell of its
/// first input, so a sensor's chain stays on one member; cells go, largest
/// first, to the member with the least estimated load (nodes so far).
std::vector<size_t> place_nodes(const graph_spec& g, size_t members);

/// Deploys `g` (validated) over the current members and delivers a summary
/// to `rp`; on any failure, delivers the error and deploys nothing more.
void apply_graph(member_self self, graph_spec g, caf::response_promise rp);

} // namespace shoal
