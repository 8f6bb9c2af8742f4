// The actor that runs one member's share of the cluster's graph.
//
// A coordinator (the member actor that received `apply`) places the graph's
// nodes and asks each member's graph host to spawn its nodes, then hands
// every host the directory of all nodes (name -> actor, local or remote) so
// that each host wires its own nodes to their inputs wherever these live:
// edges between members are ordinary CAF remote handles. Nodes run without
// a progress tracker (watermarks are asked edge by edge, which works across
// processes). Reports of nodes at end of stream come back here and are
// dropped.
//
// Messages handled:
//   (deploy_atom, graph_spec g, std::vector<std::string> names)
//       -> std::vector<caf::actor>: spawns the nodes named (which must be in
//          the validated `g`), in the order of `names`
//   (wire_atom, std::vector<std::string> names, std::vector<caf::actor> xs)
//       -> ok_atom once every local feature and model subscribed to its
//          inputs, found by name in the directory (`names[i]` runs as
//          `xs[i]`); an error naming a missing input otherwise
//   (deploy_atom, graph_spec g, std::vector<std::string> names, bool standby)
//       -> the same; with `standby` the nodes wait for the state of the
//          actors they replace (a move, node_actor.hpp)
//   (wire_atom, std::vector<std::string> only, names, xs)
//       -> ok_atom: the same for the local nodes in `only` (nodes added or
//          replaced in a running graph)
//   (remove_atom, std::vector<caf::actor> xs) -> ok_atom: stops these local
//          nodes (replaced or removed ones); a node spawned since under the
//          same name stays
//   (load_atom) -> (uint64_t nodes, double firings_per_s): the local nodes
//          and this process's firings per second over the last second
//          (placement's load estimate)
//   (stats_atom) -> (std::vector<std::string> names,
//                    std::vector<node_counts> counts,
//                    std::vector<ingest_counts> samples, int64_t backlog):
//          the counters of the live local nodes (features and models fill
//          `counts`, sensors `samples`) as each published them after the
//          last batch it handled (runtime/core/counts_slot.hpp: no message
//          per node), and this process's mailbox backlog
//   (work_atom) -> member_work: what the nodes did here, the retired totals
//          of those that left included (runtime/http/member_work.hpp);
//          for this member's own /metrics
//   checkpoints: the messages of actors/cluster/host_checkpoint.hpp
//   (deploy_atom, graph_spec g, std::vector<std::string> names,
//    std::vector<std::string> states) -> std::vector<caf::actor>
//       spawns the nodes named, each with the checkpointed state
//       `states[i]` (actors/cluster/checkpoint_codec.hpp; empty: cold)

#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <unordered_map>

#include "caf/actor.hpp"
#include "caf/stateful_actor.hpp"

#include "actors/cluster/host_checkpoint.hpp"
#include "runtime/core/counts_slot.hpp"
#include "runtime/graph/graph_spec.hpp"
#include "runtime/http/member_work.hpp"

namespace shoal {

struct graph_host_state {
  static inline const char* name = "shoal.host";
  /// The nodes spawned here, by name, with their specs.
  std::unordered_map<std::string, caf::actor> local;
  std::unordered_map<std::string, node_spec> specs;
  /// Where each local node publishes its counters, read for `stats_atom`,
  /// and its kind: a status refresh reads every slot every second, with no
  /// lookup by name.
  struct local_slot {
    counts_slot_ptr slot;
    node_kind kind = node_kind::feature;
  };
  std::unordered_map<std::string, local_slot> slots;
  /// What the nodes that left did here (see work_atom).
  work_ledger work;
  /// Load measurement (see load_atom).
  std::chrono::steady_clock::time_point measured_at;
  uint64_t firings_then = 0;
  double firings_per_s = 0;
  /// Checkpoints (actors/cluster/host_checkpoint.hpp).
  host_checkpoint_state ckpt;
};

/// Runs the graph host of member `member`; `keeper` keeps its checkpoints
/// (actors/cluster/checkpoint_keeper.hpp), invalid when they are off.
caf::behavior graph_host(caf::stateful_actor<graph_host_state>* self,
                         std::string member, caf::actor keeper);

} // namespace shoal
