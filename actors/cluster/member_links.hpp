// Direct connections between members, a part of membership
// (actors/cluster/membership.hpp).
//
// CAF 0.17's BASP routes a message to another process over the connection
// it learned that process's actors from: a member that joined through a seed
// reaches the members in the seed's answer through the seed, and loses them
// when the seed goes. BASP prefers a direct connection as soon as one exists
// (docs/cluster.md, "Joining"), so every pair of members gets its own: of
// two members, the one whose address sorts lower connects to the other
// through the member transport (TLS and the frame guard included) and then
// tells it `link`; the other waits for that. Only one side connects because
// two members that connect to each other at the same moment can lose both
// connections. A newcomer and the member it joined through are linked by
// the join itself. A member whose connection fails tries again on each
// heartbeat.
//
// A member is linked when it has a direct connection with every member it
// knows; each heartbeat says whether its sender is. Nodes move between
// members (re-balancing, the hand-over of a planned leave) only while every
// member is linked (`cluster_linked`): a route that changed from a third
// member to a direct connection in mid-stream could reorder a node's
// batches.
//
// Owns `link_state`, changed only in member_links.cpp. Runs in the member
// actor.
//
// Messages handled:
//   (link_atom, std::string name)        the sender connected to this member
//                                        directly

#pragma once

#include <map>
#include <string>
#include <vector>

#include "caf/actor_addr.hpp"
#include "caf/message_handler.hpp"

#include "actors/cluster/member_self.hpp"
#include "actors/messages.hpp"

namespace shoal {

struct link_state {
  struct peer {
    /// Its member actor, to tell a `link` from it apart from one of an
    /// earlier process with the same name.
    caf::actor_addr handle;
    /// Whether the address of this member sorts before the peer's: this
    /// member connects.
    bool dials = false;
    /// A direct connection with it exists.
    bool direct = false;
    /// A connection attempt is under way.
    bool dialing = false;
    /// A failed attempt was logged (once per peer).
    bool failure_told = false;
    /// Its last heartbeat said it is linked to every member it knows.
    bool linked = false;
  };

  /// The other live members, by name.
  std::map<std::string, peer> peers;
  /// Members that said `link` before this one knew them (a `link` may
  /// overtake the join answer or membership update that names its sender).
  std::vector<caf::actor_addr> early;
};

/// A member became known; `direct`: it joined through this member, or this
/// member joined through it. Connects to it when this member dials.
void link_member(member_self self, const member_info& x, bool direct);

/// A member was removed.
void unlink_member(member_self self, const std::string& name);

/// Connects again to the members whose connection failed.
void links_tick(member_self self);

/// Whether this member has a direct connection with every member it knows.
bool linked_to_all(member_self self);

/// Member `name`'s heartbeat said whether it is linked.
void peer_says_linked(member_self self, const std::string& name, bool linked);

/// Whether every live member, this one included, is linked.
bool cluster_linked(member_self self);

/// The `link` message above.
caf::message_handler link_handlers(member_self self);

} // namespace shoal
