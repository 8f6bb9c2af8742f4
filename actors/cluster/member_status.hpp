// Status, latency and stats of a member actor
// (actors/cluster/member_actor.hpp): what shoalctl's status and graph
// commands and the status collector (actors/cluster/status_collector.hpp)
// ask.
//
// Owns `status_state`, changed only in member_status.cpp: the sink of the
// member's configured [[sink]]s (told by shoal-node once a graph runs) and
// the count of nodes whose member died. Reads the membership and the
// deployed graph. Runs in the member actor.
//
// Messages handled:
//   (status_atom)                        -> (std::vector<member_info> alive,
//                                           std::vector<std::string> down,
//                                           graph_spec, directory)
//   (status_atom, uint64_t known)        -> (alive, down, uint64_t
//                                           deployment, graph_spec,
//                                           directory): the same for the
//                                           status collector, with an
//                                           empty graph and directory when
//                                           `known` is the current
//                                           deployment (a graph of 100,000
//                                           nodes is not copied every
//                                           second)
//   (stats_atom)                         -> uint64_t: nodes whose member
//                                           died since start
//   (latency_atom, caf::actor sink)      the sink of this member's [[sink]]s
//   (latency_atom)                       -> std::vector<uint64_t>: that
//                                           sink's latency histogram
//                                           (latency_histogram::to_numbers),
//                                           empty without one
//   (ready_atom)                         -> (bool joined, bool deployed):
//                                           what readiness needs
//                                           (runtime/http/readiness.hpp):
//                                           joined or alone, and a graph
//                                           deployed
//   (reject_atom, reject_log)          what this member's live sources
//                                           rejected, merged by its status
//                                           collector each refresh
//   (reject_atom)                        -> reject_log: the last of those
//                                           (shoalctl status and the other
//                                           members' collectors ask)
//   (graph_atom, bool dot)               -> std::vector<std::string>: one
//                                           "node member" line per node, or
//                                           with `dot` the Graphviz DOT text

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/message_handler.hpp"

#include "actors/cluster/member_self.hpp"
#include "runtime/core/reject_log.hpp"

namespace shoal {

struct status_state {
  /// The sink of this member's configured [[sink]]s, if any (its output
  /// latency goes to the cluster's metrics).
  caf::actor sink;
  /// Nodes whose member died since start (placed again), and those of them
  /// that resumed from a checkpoint (the others started cold).
  uint64_t nodes_failed_over = 0;
  uint64_t nodes_warm = 0;
  /// Live samples failovers took back, as this member's status collector
  /// counted them (actors/cluster/status_collector.hpp).
  uint64_t live_rolled_back = 0;
  /// Why this member's live sources rejected input, as its status
  /// collector last merged it.
  reject_log rejects;
};

/// The status messages above.
caf::message_handler status_handlers(member_self self);

/// The member `name` left: every member counts the nodes that lose their
/// state (they all know the same placement).
void status_member_left(member_self self, const std::string& name);

/// The deployed graph in Graphviz DOT, a line per element: one cluster per
/// member holding its nodes (sensors as ellipses, features as boxes, models
/// as double octagons), and an edge per `needs` entry.
std::vector<std::string> placed_graph_dot(const member_state& st);

} // namespace shoal
