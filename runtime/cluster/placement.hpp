// Placement: which cluster member runs each node of a graph.
//
// Pure functions over a `graph_spec`, the members (by index in the order
// the caller lists them, or by name) and their loads; no actors. The member
// actor (actors/cluster/) converts its state into these inputs and carries
// out the result. Cells are those of runtime/cluster/cells.hpp with no
// capacity: a sensor with the nodes that follow their anchor input, placed
// and moved whole so that a sensor's chain runs on one member and only
// joins across sensors cross members.
//   - `place_graph`: the first apply; cells go, largest first, to the member
//     with the fewest nodes so far.
//   - `place_new_nodes`: an apply on a running graph and the failover of a
//     dead member's nodes; a node that runs on a live member stays there,
//     any other node joins the member of its anchor input, and a node
//     whose anchor is not placed (a sensor, or the first node of a dead
//     member's cell) goes to the least loaded member.
//   - `plan_rebalance`: which cells move to balance measured load after a
//     member joined.
//   - `plan_leave`: where the nodes of a member that leaves (SIGTERM) go.
// Every tie goes to the lowest member index (or smallest name), so that
// every run gives the same result. Thread-safe: no shared state.

#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/graph/graph_spec.hpp"

namespace shoal {

/// The member of each node of the validated `g` (indexed like `g.nodes`)
/// for `members` members that run nothing yet: cells go, largest first, to
/// the member with the fewest nodes so far.
std::vector<size_t> place_graph(const graph_spec& g, size_t members);

/// The estimated load of the live members, for `place_new_nodes`.
struct member_loads {
  /// Per member, by index.
  std::vector<double> load;
  /// What each node placed adds to its member.
  double per_node = 1;
};

/// The loads from what each member's graph host reports: `nodes` it runs
/// and `fps`, its firings per second. Measured rates when there are any,
/// each node placed adding the mean rate per node; on an idle cluster the
/// node counts, each node placed adding one.
member_loads estimate_loads(const std::vector<uint64_t>& nodes,
                            const std::vector<double>& fps);

/// The member of each node of `spawn` (names of nodes of the validated `g`,
/// in topological order), indexed like `spawn`. `running` holds the member
/// of every node that runs on a live member now (nodes of dead members are
/// absent); `loads` must have one member at least.
std::vector<size_t>
place_new_nodes(const graph_spec& g, const std::vector<std::string>& spawn,
                std::unordered_map<std::string, size_t> running,
                member_loads loads);

/// Where nodes move to balance the load of `members` (the live members'
/// names): the target member of each node that moves. `member_of` holds
/// the member of every node of the validated `g`; `cost` the measured
/// firings (or samples) of each node, plus one per node so that idle nodes
/// count. Only cells that run on one live member move, whole; cells go,
/// largest first, from their member to the least loaded one while that
/// narrows the gap between the two. Empty when moving would not help.
std::map<std::string, std::string>
plan_rebalance(const graph_spec& g,
               const std::unordered_map<std::string, std::string>& member_of,
               const std::vector<std::string>& members,
               const std::unordered_map<std::string, double>& cost);

/// Where the nodes of `leaving` go when it leaves: the target member of
/// each node that runs on it, among `members` (the members that stay;
/// empty: nothing can go). `member_of` and `cost` are as for
/// `plan_rebalance`. The leaving member's nodes of each cell go together,
/// largest cell first, to the member that stays with the least load so
/// far, so a sensor's chain stays together.
std::map<std::string, std::string>
plan_leave(const graph_spec& g,
           const std::unordered_map<std::string, std::string>& member_of,
           const std::vector<std::string>& members,
           const std::unordered_map<std::string, double>& cost,
           const std::string& leaving);

} // namespace shoal
