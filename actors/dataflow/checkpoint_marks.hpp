// Checkpoint marks on data edges: when a sensor or node takes its part of
// a checkpoint (docs/cluster.md, "Checkpoints").
//
// A checkpoint round k starts at the sources that can be sent again (a
// cluster replay): each sends `(mark_atom, k, key)` to every sensor it
// feeds, after its last batch before the round, and then pauses until
// every node of every member took its part (actors/cluster/checkpointer.hpp:
// the states are then written while it reads on), so nothing follows the
// mark until every node took its part.
// A sensor takes its part once its member's graph host asked it
// `(ckpt_atom, k)` and every attached source that marks (said when it
// attached) marked k; a node once every input marked k. Each then puts
// its state on its graph host's board (checkpoint_board.hpp) and sends the
// mark on to its subscribers, after its last batch to them. So a node's state
// holds exactly the replay's input up to the point where the round began,
// wherever the node runs (Chandy and Lamport's marker rule; no input needs
// holding back, since nothing comes after a replay's mark until every node took
// its part). Live input does not pause: for it, the cut is where each sensor
// took its part, and what arrives after it is lost if the checkpoint is
// restored.
//
// The messages:
//   source -> sensor   (mark_atom, uint64_t k, uint64_t key(source))
//   U -> subscriber    (mark_atom, uint64_t k, uint64_t key(U))
//   host -> sensor     (ckpt_atom, uint64_t k)
//   node -> host       (ckpt_atom, ready_atom, uint64_t k)
//                      its part was the last one round k waited for on
//                      the board
// Sinks and tails ignore marks (but a cluster replay's sink, which tells
// its member once every input marked a round). A subscriber that comes
// after a node passed a round gets that mark at once (`catch_up_mark`).
// Rounds that never complete (a member died) are simply superseded: a
// later round's marks count for every earlier one.
// Used from the owning actor's handlers only.

#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/event_based_actor.hpp"

#include "actors/dataflow/checkpoint_board.hpp"
#include "actors/dataflow/publisher.hpp"
#include "actors/messages.hpp"

namespace shoal {

/// The marks a node has seen, one per input.
struct mark_tracker {
  /// The newest round each input marked.
  std::vector<uint64_t> seen;
  /// The newest round this node took its part of.
  uint64_t taken = 0;
  /// The state changed since the last part (or none was taken yet).
  bool dirty = true;

  /// The round that every input has now marked and that was not taken
  /// yet, or 0.
  uint64_t ready() const {
    if (seen.empty())
      return 0;
    auto k = *std::min_element(seen.begin(), seen.end());
    return k > taken ? k : 0;
  }
};

/// Takes the part of round `k` of the node `name` that publishes with
/// `pub`: puts its state (`state()`, a `handover` without subscribers) on
/// its graph host's `board` if it changed since its last part, a note that
/// it did not otherwise, tells `host` when that was the last part the round
/// waited for, and passes the mark on to the subscribers, after their last
/// batch. Without a board nobody collects parts: only the mark goes on.
template <class State>
void take_part(caf::event_based_actor* self, const caf::actor& host,
               checkpoint_board* board, mark_tracker& marks, uint64_t k,
               const std::string& name, publisher& pub, State&& state) {
  if (board) {
    std::optional<handover> h;
    if (marks.dirty) {
      h = state();
      h->last = pub.last();
    }
    if (board->put(k, name, std::move(h)) && host)
      self->send(host, ckpt_atom_v, ready_atom_v, k);
  }
  marks.taken = k;
  marks.dirty = false;
  pub.mark(self, k);
}

/// A subscriber that comes after the node passed round `marks.taken` gets
/// that mark at once: it gets nothing from before it anyway, and must not
/// wait for it (a subscription made during a round, after a graph change).
inline void catch_up_mark(caf::event_based_actor* self, const caf::actor& sub,
                          const mark_tracker& marks, uint64_t key) {
  if (marks.taken > 0 && sub)
    self->send(sub, mark_atom_v, marks.taken, key);
}

} // namespace shoal
