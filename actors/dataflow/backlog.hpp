// Which batches the mailbox backlog counts (runtime/core/metrics.hpp).
//
// The backlog is the batches sent to actors of this process less those
// they took out of their mailboxes. A batch to an actor of another member
// is sent here and taken there: counting it on both sides made one
// member's backlog grow and the other's go negative (issue 17). So both
// sides count only batches between actors of the same process.

#pragma once

#include "caf/actor.hpp"
#include "caf/actor_control_block.hpp"
#include "caf/actor_system.hpp"
#include "caf/scheduled_actor.hpp"

namespace shoal {

/// `to` is an actor of this process (not a proxy of another member's).
inline bool runs_here(const caf::actor& to) {
  return to && to.node() == to->home_system().node();
}

/// The message `self` handles now came from an actor of this process (or
/// from no actor).
inline bool sent_from_here(caf::scheduled_actor* self) {
  auto& from = self->current_sender();
  return !from || from->node() == from->home_system->node();
}

} // namespace shoal
