// Re-balancing a running cluster graph onto a member that joined, each
// moved node with its state.
//
// The leader (actors/cluster/graph_change.hpp) measures the load: each node's
// firings so far (a sensor's samples), plus one so that idle nodes count.
// Only cells (runtime/cluster/cells.hpp: a sensor with the nodes that follow
// their first trigger input) that run on one member move, whole, so
// neighbours stay together; cells go, largest first, from their member to
// the least loaded one while that narrows the gap between the two
// (`plan_rebalance`, runtime/cluster/placement.hpp). Nodes move one at a
// time, downstream first, so that a node's inputs and subscribers are never
// in the middle of another move:
//   1. the new member's graph host spawns the node's new actor in standby;
//   2. the old actor asks each input to send to the new actor instead
//      (`swap_atom`); each input confirms after its last batch to the old
//      actor, so the old actor handles exactly what came before;
//   3. the old actor hands its state (join, window or Lua `state`,
//      subscribers, counters) to the new one and tells its subscribers,
//      after its last batch to them; the new actor keeps their outputs
//      until each subscribes to it, so no output is lost, duplicated or
//      overtaken;
//   4. when all moved, every member learns the new placement.
// A planned leave (SIGTERM on a member) moves every node of the leaving
// member the same way, each cell's part to the member that stays with the
// least load (`plan_leave`).

#pragma once

#include <string>

#include "caf/response_promise.hpp"

#include "actors/cluster/member_graph.hpp"

namespace shoal {

/// Moves nodes to balance the members' load, as described above.
void rebalance(member_self self);

/// Moves every node of `leaving` to the members that stay, as described
/// above, drops `leaving`, and delivers a summary to `rp` once every other
/// member has handled the new placement and the departure (the nodes
/// moved, and those that could not move: they stay, and are placed again
/// cold once `leaving` has left). Members in `coordinator_state::leaving`
/// take no node.
void hand_over_nodes(member_self self, const std::string& leaving,
                     caf::response_promise rp);

} // namespace shoal
