// Tail of a member actor (actors/cluster/member_actor.hpp): `shoalctl tail`
// asks a member for the live outputs of some nodes, wherever they run.
//
// Keeps no state: each request spawns a tail actor
// (actors/dataflow/tail_actor.hpp) for its client, which lives until the
// client goes away or the nodes end. Reads the deployed graph. Runs in the
// member actor.
//
// Messages handled:
//   (tail_atom, std::vector<std::string> names, actor client)
//                                        -> ok_atom; a tail actor sends the
//                                           client the nodes' outputs

#pragma once

#include "caf/message_handler.hpp"

#include "actors/cluster/member_self.hpp"

namespace shoal {

/// The tail message above.
caf::message_handler tail_handlers(member_self self);

} // namespace shoal
