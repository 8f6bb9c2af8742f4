// Changing the graph that a cluster runs: `apply` of new and changed nodes,
// `remove`, and failover of a dead member's nodes.
//
// All three are one `graph_change`: the graph after the change (validated
// in full before anything changes), the nodes to spawn (added ones, changed
// ones, and nodes whose member died) and the nodes to stop for good. The
// leader (the live member with the smallest name; every member forwards
// admin changes to it, so changes are serialized) carries it out with
// `change_graph`:
//   1. places the nodes to spawn: a replaced node stays on its member if
//      that member lives; otherwise a node joins the member of its first
//      trigger input (a sensor's chain stays together), and a node without
//      inputs goes to the member with the least estimated load, measured as
//      firings per second by every graph host (plus the mean rate per node
//      for each node placed, so idle members fill by node count); the rules
//      are runtime/cluster/placement.hpp;
//   2. spawns them on their members' graph hosts, and wires them to their
//      inputs through the new directory;
//   3. re-wires the running subscribers of replaced nodes to the new actors
//      (`rewire_atom`), so a replaced model keeps its name and subscribers;
//   4. unsubscribes the old and removed actors from their inputs and stops
//      them;
//   5. tells every member the new deployment (`deploy_atom`), so that live
//      sources, sinks and a replay under way follow.
// A failure in 1-2 stops what was spawned and leaves the graph as it was.
// Planning (graph_plan.cpp) and carrying out (graph_change.cpp) are apart;
// moving nodes with their state is actors/cluster/rebalance.hpp. Both read
// the member's state and change the coordinator's only through its calls
// (actors/cluster/coordinator.hpp).
// Nothing pauses: the other nodes keep running throughout. New and
// replaced nodes start cold (no window, no Lua state); a subscription made
// while the graph runs hands them their inputs' latest values.

#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "caf/expected.hpp"
#include "caf/response_promise.hpp"

#include "actors/cluster/member_graph.hpp"
#include "runtime/core/log_sink.hpp"
#include "runtime/graph/graph_spec.hpp"

namespace shoal {

struct graph_change {
  /// The graph after the change, validated, in topological order.
  graph_spec merged;
  /// Nodes to spawn (new actors), in topological order.
  std::vector<std::string> spawn;
  /// Nodes to stop for good.
  std::vector<std::string> remove;
  /// What the change is, for the summary ("added 2, replaced 1").
  std::string what;
  /// The same as log fields (`event=apply added=2 replaced=1 ...`).
  log_fields fields;
  /// An apply: the nodes it adds and replaces, in the order of its file.
  std::vector<std::string> added;
  std::vector<std::string> replaced;
  /// A failover: the nodes were on departed members.
  bool failover = false;
  /// A failover that restores every node from this committed checkpoint
  /// (0: none; then only the departed members' nodes are placed again).
  uint64_t restore_k = 0;
  /// Where nodes not running now ran before (a restarted cluster's
  /// checkpoint): placed there again if that member lives.
  std::unordered_map<std::string, std::string> placed_before;
};

/// Plans applying `g` (parsed, possibly naming nodes of the running graph
/// as inputs) to the running graph: nodes not running are added, nodes
/// whose declaration or model content changed are replaced, the others
/// stay. A model's content came with `g`: no file is read here.
caf::expected<graph_change> plan_apply(const member_state& st, graph_spec g);

/// What applying `g` would change, planned as `plan_apply` plans it (as
/// the first graph when none is deployed) and changing nothing: one line
/// per node ("add N", "replace N", "unchanged N", and "keep N" for a
/// running node `g` does not name, which stays), then a summary line.
/// Errors are those the apply would fail with.
caf::expected<std::string> dry_run_apply(const member_state& st, graph_spec g);

/// Plans removing `names`; refused while nodes outside them need one,
/// unless `cascade`, which removes those too (transitively).
caf::expected<graph_change> plan_remove(const member_state& st,
                                        const std::vector<std::string>& names,
                                        bool cascade);

/// Plans placing again the nodes of members no longer in the membership.
/// `spawn` is empty when there are none. With a committed checkpoint, every
/// node gets a new actor with its state from that checkpoint (the
/// survivors' nodes on their members), so that the whole graph goes back
/// to one consistent point that a replay can go on from
/// (actors/cluster/replay_resume.hpp); without one, the departed members'
/// nodes start cold.
graph_change plan_failover(const member_state& st);

/// Carries out `c` (see above) and delivers a summary to `rp`.
void change_graph(member_self self, graph_change c, caf::response_promise rp);

} // namespace shoal
