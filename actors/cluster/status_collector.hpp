// What a cluster member's HTTP endpoint shows, refreshed by an actor.
//
// The `status_collector` actor refreshes a status_board
// (runtime/http/status_board.hpp) every `interval`: it asks the member
// actor for the membership and the deployment ((status_atom, known) ->
// members, departed names, the deployment's number, and its graph and
// directory when they changed since `known`), then what readiness needs
// ((ready_atom) -> joined, deployed; actors/cluster/member_status.hpp),
// then every live member's graph host
// for its nodes' counters
// ((stats_atom), actors/cluster/graph_host.hpp), and stores a new model
// with the member's readiness answer:
//   - members: the live ones (alive) and those that left (down), with the
//     nodes placed on each, its sensors' samples, its process's backlog
//     and its load (firings per second since the last refresh);
//   - nodes: every node of the deployed graph with kind, fn, needs, member
//     and counters;
//   - totals: sums over the nodes and members, rates from the difference
//     to the previous refresh;
//   - endpoints: `endpoints()`, when given (the member's live I/O);
//   - sources: each of this member's live sources' name, watermark, lag
//     behind the clock, inbox backlog and refusals
//     ((stats_atom, get_atom), actors/sources/ingest_source.hpp);
//   - own: this member's own work for its /metrics ((work_atom) to its
//     graph host; the nodes `node_metrics` chooses one by one), its
//     sources' rejections, its backlog and its sinks' latency;
//   - rejected input: why this member's live sources rejected input
//     (merged from them, and handed to the member actor for shoalctl
//     status), and every other member's as it last handed it
//     (actors/cluster/reject_gather.hpp);
//   - checkpoints: the member's view of them, and the live samples that
//     failovers took back: a sensor that answers with a new base (its
//     actor took over a state) below the live samples it had answered
//     before lost the difference (accepted since the checkpoint its state
//     came from, up to the refresh before; counted once per take-over).
// A refresh that is still waiting for answers when the next tick comes
// skips that tick; a host that does not answer within a second reads zero;
// a member that does not answer stores nothing, so the board's status ages
// until readiness calls it stale. The collector monitors the member actor
// and tells the board when it exits.

#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "caf/actor.hpp"
#include "caf/stateful_actor.hpp"

#include "actors/cluster/directory.hpp"
#include "runtime/http/node_metrics.hpp"
#include "runtime/http/status_board.hpp"
#include "runtime/http/status_model.hpp"

namespace shoal {

struct status_collector_options {
  std::chrono::milliseconds interval{1000};
  /// The status of the member's network endpoints (may be empty).
  std::function<std::vector<endpoint_status>()> endpoints;
  /// This member's name, and its live sources (ingest_source actors): the
  /// samples they reject before any sensor count for this member.
  std::string name;
  std::function<std::vector<caf::actor>()> sources;
  /// The nodes this member's /metrics shows one by one.
  node_metrics_options node_metrics;
};

struct status_collector_state {
  static inline const char* name = "shoal.status";
  caf::actor member;
  std::shared_ptr<status_board> board;
  status_collector_options opts;
  /// A refresh is waiting for answers.
  bool busy = false;
  /// The previous refresh: when, and its figures (for rates and loads).
  int64_t last_ns = 0;
  totals_status last_totals;
  std::map<std::string, uint64_t> last_firings;
  /// Each sensor's live samples and their base, as last answered; and the
  /// live samples failovers took back since this member started.
  struct live_seen {
    uint64_t live = 0;
    uint64_t base = 0;
  };
  std::map<std::string, live_seen> last_live;
  /// This member's own work as its host last answered (see `own`).
  member_work last_own;
  uint64_t live_rolled_back = 0;
  /// The deployment the member last answered with (none yet: max), each
  /// of its nodes as the model starts it (name, kind, fn, needs), and its
  /// directory: the member sends the graph only when it changed.
  uint64_t deployment = UINT64_MAX;
  std::vector<node_status> deployed_nodes;
  directory deployed_dir;
  /// The model's nodes by name, kept while the graph stays the same (a
  /// graph of 100,000 nodes is refreshed every second), and its version.
  std::vector<std::string> index_names;
  std::unordered_map<std::string, size_t> index;
  uint64_t index_generation = 0;
  /// Per member: the nodes its host named last time, in its order, and
  /// where each is in the model.
  static constexpr size_t no_node = SIZE_MAX;
  struct host_order_cache {
    uint64_t generation = 0;
    std::vector<std::string> names;
    std::vector<size_t> at;
  };
  std::map<std::string, host_order_cache> host_order;
  /// The same for the directory's names (where each node runs).
  host_order_cache dir_order;
};

/// Refreshes `board` from `member` (a member actor) until stopped.
caf::behavior
status_collector(caf::stateful_actor<status_collector_state>* self,
                 caf::actor member, std::shared_ptr<status_board> board,
                 status_collector_options opts);

} // namespace shoal
