// Membership and failure detection of a member actor
// (actors/cluster/member_actor.hpp): joins, heartbeats, `left`, the leader.
//
// Owns `membership_state`, changed only in membership.cpp. Until it knows
// another member it asks its seeds (every heartbeat): it connects through
// the middleman and sends `join`. A join of a name that a live member has is
// refused; otherwise the newcomer is added and learns the full membership,
// and every other member is told; a member that learns members from a list
// lacking some it knows tells everyone the whole set, so views meet. Members
// heartbeat each other and monitor each other's member actors, each pair over
// its own connection (actors/cluster/member_links.hpp); one silent for the
// failure timeout, or whose connection drops, is removed and the others are
// told (`left`). The other concerns learn of joins and departures through
// `on_member_joined` and `on_member_left`, which member_actor.cpp defines.
// `formed` tells whether this member has joined a cluster or, its seeds silent,
// runs alone (the rule of runtime/cluster/formation.hpp, checked on each
// heartbeat). A planned leave (`leave_atom` from this member's own process, on
// SIGTERM) asks the leader to move this member's nodes with their state to the
// others (within `leave_timeout`), then tells every other member `left`
// with the reason "planned leave", so they drop it at once, and answers once
// each of them has handled that. Runs in the member actor.
//
// Messages handled:
//   (join_atom, member_info)             -> std::vector<member_info>, or an
//                                           error if the name is taken
//   (members_atom, std::vector<member_info>)
//   (heartbeat_atom, std::string name, bool linked)
//                                        linked: see member_links.hpp
//   (left_atom, std::string name, std::string reason)
//   (caf::get_atom)                      -> std::vector<member_info>
//   (leave_atom)                         -> std::string summary, from this
//                                           member's process

#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "caf/message_handler.hpp"

#include "actors/cluster/member_self.hpp"
#include "actors/messages.hpp"

namespace shoal {

struct membership_state {
  struct entry {
    member_info info;
    /// Steady-clock nanoseconds of the last sign of life.
    int64_t last_seen = 0;
  };

  /// The live members by name, this one included.
  std::map<std::string, entry> members;
  /// A join attempt is under way.
  bool joining = false;
  /// Which seed the next attempt asks.
  size_t next_seed = 0;
  /// Heartbeats spent looking for seeds (see `try_join`).
  size_t join_rounds = 0;
  /// Members removed since start, with the reason (for status).
  std::vector<std::string> departed;
  /// Steady-clock nanoseconds when this member started looking for seeds.
  int64_t started = 0;
  /// It joined, or decided it is alone (runtime/cluster/formation.hpp);
  /// stays set when members leave later.
  bool formed = false;
  /// This member has told the others it left (a planned leave): it no
  /// longer heartbeats, detects failures or coordinates.
  bool left = false;
};

/// The reason every member logs for a member that left by a planned leave.
inline constexpr const char* planned_leave = "planned leave";

/// Removes member `name` (not this one) and tells the others, as when it
/// failed; the leader calls it once a leaving member's nodes were handed
/// over, after telling the new placement, so that every member learns the
/// placement before the departure.
void drop_member(member_self self, const std::string& name,
                 const std::string& reason);

/// Adds this member (`self`'s options and graph host) and monitors the
/// others' connections.
void start_membership(member_self self);

/// The membership messages above.
caf::message_handler membership_handlers(member_self self);

/// Heartbeats the others, removes the silent ones and asks a seed to let us
/// in while we know no other member.
void membership_tick(member_self self);

/// The live member that coordinates graph changes: the smallest name.
const membership_state::entry& leader(const membership_state& st);

/// Whether this member is the leader.
bool is_leader(member_self self);

/// The live members, in name order.
std::vector<member_info> all_members(const membership_state& st);

/// Names of members that left and did not come back, in order of leaving.
std::vector<std::string> down_members(const membership_state& st);

/// Sends `xs` to every member but this one (and `except`).
template <class Self, class... Ts>
void tell_others(Self self, const std::string& except, Ts&&... xs) {
  for (auto& [name, e] : self->state.membership.members)
    if (name != self->state.opts.name && name != except)
      self->send(e.info.handle, xs...);
}

/// Defined by member_actor.cpp: tells the other concerns that `name`
/// joined (its nodes move to it later; `answered`: its join came to this
/// member) or left (its nodes are lost).
void on_member_joined(member_self self, const std::string& name, bool answered);
void on_member_left(member_self self, const std::string& name,
                    const std::string& reason);

/// Defined by member_actor.cpp: an actor this member monitors that is not
/// a member went away (a shoalctl streaming a replay).
void on_other_down(member_self self, const caf::actor_addr& who);

} // namespace shoal
