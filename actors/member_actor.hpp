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
// the others (`left`), so all agree on the new membership.
//
// Messages handled:
//   (join_atom, member_info)             -> std::vector<member_info>, or an
//                                           error if the name is taken
//   (members_atom, std::vector<member_info>)   membership from another member
//   (heartbeat_atom, std::string name)
//   (left_atom, std::string name, std::string reason)
//   (caf::get_atom)                      -> std::vector<member_info>
//   (caf::tick_atom)                     heartbeat and failure detection
// Fatal problems (our name taken) go to `monitor` as
// `(caf::error)` and the actor quits.

#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/stateful_actor.hpp"

#include "actors/messages.hpp"
#include "runtime/io/net_address.hpp"

namespace shoal {

struct member_options {
  std::string name;
  net_address listen;
  std::vector<net_address> seeds;
  std::chrono::milliseconds heartbeat{500};
  std::chrono::milliseconds failure_timeout{3000};
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
};

/// Runs the member `opts.name`; `monitor` learns of fatal errors.
caf::behavior member_actor(caf::stateful_actor<member_state>* self,
                           member_options opts, caf::actor monitor);

} // namespace shoal
