// Checkpoint marks on data edges: when a sensor or node takes its part of
// a checkpoint (docs/cluster.md, "Checkpoints").
//
// A checkpoint round k starts at the sources that can be sent again (a
// cluster replay): each marks k after the next chunk of input it reads
// once asked (or, if none comes within `mark_patience`, at once; see
// actors/sources/replay_source.hpp), on the batches of that chunk to every
// sensor it feeds, and reads on.
// A sensor takes its part once every attached source that marks (said
// when it attached) marked k, or, with no such source, once its member's
// graph host asked it `(ckpt_atom, k)`; a node once every input marked k.
// (A part may come before the host began the round: the board keeps it.)
// Each then puts its state on its graph host's board (checkpoint_board.hpp)
// and sends the mark on to its subscribers on its next batch to them, after
// the outputs its part holds. What an input sends after its mark of a round
// the receiver has not taken its part of waits in the receiver, in arrival
// order, until it did (Flink's barrier alignment; `held` in the node and
// sensor states): so a node's state holds exactly the replay's input up to
// the point where the round began, wherever the node runs (Chandy and
// Lamport's marker rule), while the replay never pauses. Live input does
// not wait: for it, the cut is where each sensor took its part, and what
// arrives after it is lost if the checkpoint is restored.
//
// A mark travels on data: `batch::mark` says that it follows the batch's
// points and watermark. Since the replay marks after a chunk it sends, a
// node's last inputs before the cut carry their marks, and the node takes
// its part in the same step that handles them and sends its outputs: a
// round costs no activation of its own where data flows (a mark sent
// alone, after the node went idle, woke every node once more per round,
// and a replay that paused until every node took its part stood still for
// it; docs/performance.md, "Marks on the data").
//
// A round that ends uncommitted (a member died, a graph change began)
// reaches every sensor and node as `(ckpt_atom, done_atom, k)` from its
// graph host: nothing waits for it any more. A node or sensor that moves
// gives up the rounds it waits for before it hands its state over (a move
// ends the round anyway).
//
// The messages:
//   source -> sensor   batch{key(source), samples, wm, token, k}
//   U -> subscriber    batch{key(U), outputs, wm, token, k}
//                      (points may be empty: the mark alone)
//   U -> subscriber    (mark_atom, uint64_t k, uint64_t key(U))
//                      a subscriber that comes after U passed round k
//                      gets that mark at once (`catch_up_mark`): it gets
//                      nothing from before it anyway, and must not wait
//                      for it (a subscription made during a round, after a
//                      graph change)
//   host -> sensor     (ckpt_atom, uint64_t k)
//   host -> actor      (ckpt_atom, done_atom, uint64_t k)
//   node -> host       (ckpt_atom, ready_atom, uint64_t k)
//                      its part was the last one round k waited for on
//                      the board
// Sinks and tails ignore marks (but a cluster replay's sink, which tells
// its member once every input marked a round).
// Rounds that never complete are superseded: a later round's marks count
// for every earlier one.
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

  /// Round `k` ended without this actor's part, or the actor moves: no
  /// part of it or an earlier round is taken any more. False if none was
  /// due anyway.
  bool give_up(uint64_t k) {
    if (k <= taken)
      return false;
    taken = k;
    return true;
  }
};

/// Lets go of what waits in `held` (what inputs sent after their marks, in
/// arrival order) for the inputs that no longer hold (`holds(x)` false,
/// since the actor took its part or gave the round up): `take(x)` for each,
/// then one `step()` for them all (which may take a part), then `done(x)`
/// for each. An input that holds again (it marked once more) keeps the
/// rest. Repeats while a step took a part, since that may let more go.
template <class T, class Holds, class Take, class Step, class Done>
void release_held(std::vector<T>& held, const mark_tracker& marks,
                  Holds&& holds, Take&& take, Step&& step, Done&& done) {
  while (!held.empty()) {
    std::vector<T> keep;
    std::vector<T> went;
    for (auto& x : held) {
      if (holds(x)) {
        keep.push_back(std::move(x));
        continue;
      }
      take(x);
      went.push_back(std::move(x));
    }
    held = std::move(keep);
    if (went.empty())
      return;
    auto before = marks.taken;
    step();
    for (auto& x : went)
      done(x);
    if (marks.taken == before)
      return;
  }
}

/// Takes the part of round `k` of the node `name` that publishes with
/// `pub`: puts its state (`state()`, a `handover` without subscribers) on
/// its graph host's `board` if it changed since its last part, a note that
/// it did not otherwise, and tells `host` when that was the last part the
/// round waited for. Without a board nobody collects parts. The caller then
/// passes the mark on: `pub.flush(..., k)` sends it to every subscriber on
/// the batch of the outputs the part holds.
template <class State>
void put_part(caf::event_based_actor* self, const caf::actor& host,
              checkpoint_board* board, mark_tracker& marks, uint64_t k,
              const std::string& name, const publisher& pub, State&& state) {
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
