// The coordinator of graph changes of a member actor
// (actors/cluster/member_actor.hpp): apply, remove, failover and
// re-balance, one change at a time, and the deployed graph.
//
// Owns `coordinator_state`, changed only in coordinator.cpp: the steps of a
// change (member_graph.cpp for the first graph, graph_change.cpp,
// rebalance.cpp) read it and report back through `begin_change`,
// `commit_deployment` and `end_change`. Admin changes go to the leader
// (actors/cluster/membership.hpp), which carries out one at a time; a member
// that is not the leader asks it (within 5 min) and relays its answer, so
// the answer reaches the client over the client's own connection; every
// member learns each deployment (`deploy_atom`) and keeps it, so that any
// can serve graph, tail, status and replay, and lead the next change. The
// leader places the nodes of departed members again `failover_settle`
// after it learned of the departure (or, if a change was under way, on a
// later heartbeat), and on its heartbeat moves nodes to members that
// joined. Runs in the member actor.
//
// Messages handled:
//   (apply_atom, graph_spec)             -> std::string summary
//   (plan_atom, apply_atom, graph_spec)  -> std::string: what the apply
//                                        would change, changing nothing
//                                        (dry_run_apply, graph_change.hpp)
//   (remove_atom, std::vector<std::string> names, bool cascade)
//                                        -> std::string summary
//   (deploy_atom, graph_spec, directory) the deployment, from the member
//                                        that made it (empty: ended)
//   (leave_atom, std::string member)     -> std::string summary: the member
//                                        leaves (SIGTERM); the leader moves
//                                        its nodes with their state to the
//                                        others (actors/cluster/rebalance.hpp)
//   (left_atom)                          from itself, `failover_settle`
//                                        after a member left: place its
//                                        nodes again now

#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "caf/message_handler.hpp"
#include "caf/response_promise.hpp"

#include "actors/cluster/directory.hpp"
#include "actors/cluster/member_self.hpp"
#include "runtime/graph/graph_spec.hpp"

namespace shoal {

struct coordinator_state {
  /// The deployed graph and where its nodes run.
  graph_spec graph;
  directory dir;
  bool deployed = false;
  /// A graph change (apply, remove, failover, re-balance) is under way here.
  bool busy = false;
  /// Counts the deployments this member learned (checkpoints store the
  /// graph when it changed).
  uint64_t generation = 0;
  /// Nodes of departed members wait to be placed again.
  bool failover_pending = false;
  /// A member joined: the leader re-balances on its next heartbeat.
  bool rebalance_pending = false;
  /// Members leaving (SIGTERM): they take no node, until they have left.
  std::set<std::string> leaving;
  /// Leaves whose nodes the leader has yet to move, with who waits.
  std::deque<std::pair<std::string, caf::response_promise>> leave_queue;
};

/// The graph-change messages above.
caf::message_handler coordinator_handlers(member_self self);

/// The leader's heartbeat: failover first, then the hand-over of leaving
/// members' nodes, then re-balancing, each once no other change is under
/// way.
void coordinator_tick(member_self self);

/// Member `name` joined: the member that answered its join (`answered`)
/// and the member that led before it tell it the deployment, and nodes move
/// to it on the leader's next heartbeat.
void coordinator_member_joined(member_self self, const std::string& name,
                               bool answered);

/// How long the leader waits after a member left before it places that
/// member's nodes again: long enough that members that die together (a
/// rack, a partition) are noticed together and placed in one change, far
/// shorter than a heartbeat (it waited for the next one before).
constexpr auto failover_settle = std::chrono::milliseconds(50);

/// A member left: its nodes are placed again `failover_settle` later (or
/// on the leader's next heartbeat, if a change is under way then).
void coordinator_member_left(member_self self, const std::string& name);

/// A change starts: others are refused until `end_change`.
void begin_change(member_self self);

/// The change made `g` run as `dir`: it becomes the deployment, and every
/// member and the monitor learn it. `first`: the first graph, deployed even
/// if empty, whose placement counted every member (joins before it leave
/// nothing to re-balance).
void commit_deployment(member_self self, graph_spec g, directory dir,
                       bool first);

/// The change under way ended (committed or not).
void end_change(member_self self);

/// Defined by member_actor.cpp: tells the other concerns of a new
/// deployment, committed here or learned from the member that made it.
void on_new_deployment(member_self self);

} // namespace shoal
