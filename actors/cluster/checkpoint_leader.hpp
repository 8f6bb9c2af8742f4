// The leader's side of checkpoints (actors/cluster/checkpointer.hpp has the
// protocol): starting a round when something changed, asking every member
// for its part, letting the replay sources read on once every member
// captured its states, committing or aborting the round, and restoring a
// restarted cluster's graph from its store. All functions run in the member
// actor of the leader.

#pragma once

#include <cstdint>
#include <string>

#include "actors/cluster/member_self.hpp"

namespace shoal {

/// Asks every member's graph host what its process did so far, then runs
/// round `newest + 1` unless nothing changed anywhere since the last
/// committed one; nothing if this member does not lead or something else
/// runs.
void start_round(member_self self);

/// A restarted cluster's leader restores the graph of its store's committed
/// round with every node's state, once the members of that round are back
/// or `restore_wait` passed.
void restore_saved_graph(member_self self);

} // namespace shoal
