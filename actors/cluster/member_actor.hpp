// The actor of one cluster member, composed of one part per concern.
//
// CAF 0.17 gives remote actors, publish and connect, but no membership and
// no node monitoring: this actor is ours. Each member publishes its member
// actor at its `listen` address; shoalctl and the other members talk to it
// alone, so the protocol is the union of its parts' messages. Each part owns
// its state (a struct in `member_state`, changed only in its own file pair)
// and its partial behavior (a `caf::message_handler`); member_actor.cpp
// chains the handlers with `or_else` and passes events between the parts:
//   - membership and failure detection (actors/cluster/membership.hpp):
//     join, members, heartbeat, left, get, and leave from this member's
//     process (SIGTERM); the leader is the live member with the smallest
//     name; with link, a direct connection between every pair of members
//     (actors/cluster/member_links.hpp);
//   - the coordinator of graph changes (actors/cluster/coordinator.hpp):
//     apply, remove, deploy, leave; failover, the hand-over of leaving
//     members' nodes and re-balancing on the leader's heartbeat, one change
//     at a time; the deployed graph and its
//     `directory` (actors/cluster/directory.hpp);
//   - a replay session (actors/cluster/replay_session.hpp): replay, and the
//     report, until, ok and done messages of its source and sink; it ends
//     when its client goes away;
//   - checkpoints (actors/cluster/checkpointer.hpp): the leader's rounds,
//     this member's part of each, the committed round's metadata;
//   - tail (actors/cluster/member_tail.hpp): tail;
//   - status, latency and stats (actors/cluster/member_status.hpp): status,
//     stats, latency, graph.
// The parts stay in one actor because they share the deployed graph and the
// membership without copies and must see each change in the same order; the
// events between them: a member joined (the member that led before it
// tells it the deployment, the coordinator re-balances), a
// member left (the coordinator fails over, status counts its nodes, the
// replay fails: its nodes restart cold), a new deployment, committed here
// or learned from another member (the replay's sink follows it).
// `caf::tick_atom` drives the heartbeat: membership, then the coordinator.
//
// Fatal problems (our name taken) go to `monitor` as `(caf::error)` and the
// actor quits. Every deployment this member learns (applied here or told by
// another member), and the end of one (an empty directory), goes to
// `monitor` too, as `(deploy_atom, graph_spec, directory)`, so that the
// member's live sources and sinks follow it.

#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/io/middleman_actor.hpp"
#include "caf/stateful_actor.hpp"

#include "actors/cluster/checkpointer.hpp"
#include "actors/cluster/coordinator.hpp"
#include "actors/cluster/member_links.hpp"
#include "actors/cluster/member_self.hpp"
#include "actors/cluster/member_status.hpp"
#include "actors/cluster/membership.hpp"
#include "actors/cluster/replay_session.hpp"
#include "runtime/core/log_sink.hpp"
#include "runtime/io/net_address.hpp"
#include "runtime/io/page_buffer.hpp"
#include "runtime/state/checkpoint_store.hpp"

namespace shoal {

struct member_options {
  std::string name;
  net_address listen;
  std::vector<net_address> seeds;
  std::chrono::milliseconds heartbeat{500};
  std::chrono::milliseconds failure_timeout{3000};
  /// How long a planned leave waits for its nodes to move
  /// (actors/cluster/membership.hpp).
  std::chrono::milliseconds leave_timeout{10000};
  /// Where the member's messages for people go; it must outlive the member.
  log_sink* log = &stderr_log();
  /// How the member reaches its seeds (actors/net/member_transport.hpp);
  /// CAF's plain middleman when null.
  caf::io::middleman_actor transport;
  /// The cap of a replay's output buffer and the size of its pages
  /// (actors/cluster/replay_session.hpp); tests make them tiny.
  page_limits replay_pages;
  /// The member's checkpoint store (runtime/state/checkpoint_store.hpp),
  /// and how often the leader takes a checkpoint; checkpoints are off
  /// without a store or with an interval of 0.
  std::shared_ptr<checkpoint_store> store;
  std::chrono::milliseconds checkpoint_interval{1000};
  /// The least time from the end of one round to the start of the next.
  std::chrono::milliseconds checkpoint_min_pause{0};
};

struct member_state {
  static inline const char* name = "shoal.member";

  member_options opts;
  caf::actor monitor;
  /// This member's graph host (linked).
  caf::actor host;
  membership_state membership;
  link_state links;
  coordinator_state coordinator;
  /// The replay under way, if any.
  replay_state replay;
  status_state status;
  checkpoint_state checkpoint;
};

/// Runs the member `opts.name`; `monitor` learns of fatal errors.
caf::behavior member_actor(caf::stateful_actor<member_state>* self,
                           member_options opts, caf::actor monitor);

} // namespace shoal
