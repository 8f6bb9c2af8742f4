// The pointer through which the concerns of a member actor
// (actors/cluster/member_actor.hpp) reach it: declared apart so that each
// concern's header can name it before `member_state` is complete.

#pragma once

#include "caf/stateful_actor.hpp"

namespace shoal {

struct member_state;

using member_self = caf::stateful_actor<member_state>*;

} // namespace shoal
