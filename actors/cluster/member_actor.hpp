// The actor of one cluster member: membership, heartbeats, failure.
//
// CAF 0.17 gives remote actors, publish and connect, but no membership and
// no node monitoring: this actor is ours. Each member publishes its member
// actor at its `listen` address. Until it knows another member it asks its
// seeds (every heartbeat, so a member started before its seeds keeps
// trying): it connects through the middleman and sends `join`. A member
// that receives a join refuses a name that a live member already has (with
// an error naming both addresses), adds the newcomer, answers with the full
// membership and tells every other member, so all learn the same set.
// Members send each other a heartbeat every `heartbeat_ms` and monitor each
// other's member actors; a member that is silent for `failure_timeout_ms`
// or whose connection drops (`down_msg`) is removed, and every member tells
// the others (`left`), so all agree on the new membership. The leader (the
// live member with the smallest name) then places the departed member's
// nodes again, and moves nodes with their state to a member that joined
// (actors/cluster/graph_change.hpp), each on its next heartbeat.
//
// Messages handled:
//   (join_atom, member_info)             -> std::vector<member_info>, or an
//                                           error if the name is taken
//   (members_atom, std::vector<member_info>)   membership from another member
//   (heartbeat_atom, std::string name)
//   (left_atom, std::string name, std::string reason)
//   (caf::get_atom)                      -> std::vector<member_info>
//   (caf::tick_atom)                     heartbeat and failure detection
//   (apply_atom, graph_spec)             -> std::string summary: validates
//                                           the graph, places its nodes over
//                                           the members and deploys them; on
//                                           a running graph adds and replaces
//                                           nodes (graph_change.hpp). Admin
//                                           changes are forwarded to the
//                                           leader, the live member with the
//                                           smallest name
//   (deploy_atom, graph_spec, names, actors, members)
//                                        the deployment, from the member
//                                        that applied it (empty: ended)
//   (tail_atom, std::vector<std::string> names, actor client)
//                                        -> ok_atom; a tail actor sends the
//                                           client the nodes' outputs
//   (graph_atom, bool dot)               -> std::vector<std::string>: one
//                                           "node member" line per node, or
//                                           with `dot` the Graphviz DOT text
//   (latency_atom, caf::actor sink)      the sink of this member's [[sink]]s
//   (latency_atom)                       -> std::vector<uint64_t>: that
//                                           sink's latency histogram
//                                           (latency_histogram::to_numbers),
//                                           empty without one
//   (stats_atom)                         -> uint64_t: nodes whose member
//                                           died since start
//   (remove_atom, std::vector<std::string> names, bool cascade)
//                                        -> std::string summary: removes
//                                           nodes (graph_change.hpp)
//   (status_atom)                        -> (std::vector<member_info> alive,
//                                           std::vector<std::string> down,
//                                           graph_spec, dir_names,
//                                           dir_members): for the status
//                                           collector (status_collector.hpp)
//   (replay_atom, std::string csv)       -> std::vector<output_row>: streams
//                                           the file into the graph as one
//                                           more source, returns the outputs
//                                           up to its end of stream
//
// Placement and the graph operations are in actors/cluster/member_graph.hpp.
// Fatal problems (our name taken) go to `monitor` as
// `(caf::error)` and the actor quits. Every deployment this member learns
// (applied here or told by another member), and the end of one (empty
// names), goes to `monitor` too, as the `deploy_atom` message above, so
// that the member's live sources and sinks follow it.

#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/response_promise.hpp"
#include "caf/stateful_actor.hpp"

#include "actors/messages.hpp"
#include "runtime/core/log_sink.hpp"
#include "runtime/graph/graph_spec.hpp"
#include "runtime/io/net_address.hpp"
#include "runtime/io/output_sink.hpp"

namespace shoal {

struct member_options {
  std::string name;
  net_address listen;
  std::vector<net_address> seeds;
  std::chrono::milliseconds heartbeat{500};
  std::chrono::milliseconds failure_timeout{3000};
  /// Where the member's messages for people go; it must outlive the member.
  log_sink* log = &stderr_log();
};

struct member_state {
  static inline const char* name = "shoal.member";

  struct entry {
    member_info info;
    /// Steady-clock nanoseconds of the last sign of life.
    int64_t last_seen = 0;
  };

  member_options opts;
  caf::actor monitor;
  std::map<std::string, entry> members;
  /// A join attempt is under way.
  bool joining = false;
  /// Which seed the next attempt asks.
  size_t next_seed = 0;
  /// Members removed since start, with the reason (for status).
  std::vector<std::string> departed;
  /// This member's graph host.
  caf::actor host;
  /// The deployed graph (coordinator only) and where its nodes run.
  graph_spec graph;
  std::vector<std::string> dir_names;
  std::vector<caf::actor> dir_actors;
  std::vector<std::string> dir_members;
  bool deployed = false;
  /// A graph change (apply, remove, failover) is under way here.
  bool busy = false;
  /// Nodes of departed members wait to be placed again.
  bool failover_pending = false;
  /// A member joined: the leader re-balances on its next heartbeat.
  bool rebalance_pending = false;
  /// Fingerprints of the files named by deployed nodes (`path`), by node,
  /// so that an apply replaces a model whose file changed.
  std::map<std::string, uint64_t> fingerprints;
  /// Nodes whose member died since start (placed again cold).
  uint64_t nodes_failed_over = 0;
  /// The sink of this member's configured [[sink]]s, if any (its output
  /// latency goes to the cluster's metrics).
  caf::actor sink;
  /// The replay under way, if any.
  struct replay_run {
    caf::response_promise rp;
    std::shared_ptr<memory_sink> out;
    caf::actor sink;
    caf::actor source;
    bool source_done = false;
    bool sink_done = false;
    std::string error;
  };
  std::shared_ptr<replay_run> replay;
};

/// Runs the member `opts.name`; `monitor` learns of fatal errors.
caf::behavior member_actor(caf::stateful_actor<member_state>* self,
                           member_options opts, caf::actor monitor);

} // namespace shoal
