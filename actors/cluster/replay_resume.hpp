// A cluster replay that goes on from a checkpoint after a member's death:
// exactly-once for file replays (SPEC section 10; docs/cluster.md,
// "Checkpoints and failover").
//
// While checkpoints are on, the session keeps the input it took from the
// oldest of its last two committed positions on, in the pieces it came in
// (from the piece that holds that position; at most `max_kept_bytes`;
// beyond that it gives up going on, and a member's death fails the replay
// as before). Each round, its source reports where
// it marked the round (`replay_position`); once the round is committed, that is
// where a replay resumed from that round starts. When a member dies and
// a committed round exists that the replay can go on from, the source
// stops and the session waits (taking no input) for the leader, which
// restores every node from that round (actors/cluster/graph_change.hpp);
// then a new source reads the kept input from the round's position with
// the old one's filter state, and the sink, which writes each node's
// outputs once in ts order, drops what the restored nodes send again.
// All functions run in the member actor.

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/response_promise.hpp"

#include "actors/cluster/member_self.hpp"

namespace shoal {

struct replay_session;

/// The most input a session keeps for going on from a checkpoint.
constexpr uint64_t max_kept_bytes = uint64_t{256} << 20;

/// Keeps `bytes`, the next piece of the input of `run`.
void keep_input(member_self self, replay_session& run,
                const std::string& bytes);

/// Whether `run` takes input now (not while it waits for a restore).
bool may_take_input(const replay_session& run);

/// Round `k` began here: a replay whose source has read all its input
/// records that.
void replay_round_began(member_self self, uint64_t k);

/// The replay source marked round `k` at `offset`, `position`.
void replay_round_position(member_self self, uint64_t k, uint64_t offset,
                           std::string position);

/// Round `k` was committed (or not).
void replay_round_ended(member_self self, uint64_t k, bool committed);

/// A member died: true if the replay under way will go on from the latest
/// committed round once the leader restored it (its source stops now).
bool replay_await_restore(member_self self);

/// The leader restored every node from round `k`: the replay goes on from
/// there, or fails if it cannot.
void replay_restored(member_self self, uint64_t k);

/// The leader spawned the restored nodes, not yet wired: the replay's sink
/// subscribes to the emitting nodes' new actors `actors` (named `names`)
/// before they can send anything; delivers to `rp` once it did.
void replay_sync_restored(member_self self, std::vector<std::string> names,
                          std::vector<caf::actor> actors,
                          caf::response_promise rp);

} // namespace shoal
