// Moving a sensor or a node with its state to another member.
//
// The rebalancer (actors/cluster/rebalance.hpp) asks the old actor with
// `(move_atom, target)`, where `target` is a new actor spawned in standby
// on the other member. The messages, in order:
//   old -> input    (swap_atom, old, target)   urgent, to each distinct input
//                                              (a sensor: each source)
//   input -> old    (swapped_atom, key)        after the input's last batch
//                                              for `old`; later ones go to
//                                              `target`
//   old -> old      (move_atom)                the give-up, `move_patience`
//                                              later: an input whose member
//                                              died never confirms
//   old -> target   (restore_atom, handover)   once every input confirmed
//                                              (or the give-up fired)
//   old -> subs     (moved_atom, key, target)  each subscriber subscribes at
//                                              `target`, which keeps its
//                                              outputs until then
//   old -> asker    ok_atom                    then the old actor reports
//                                              and stops
// Until the handover arrives, `target` keeps every other message in its
// mailbox (`standby_behavior`).
//
// The functions here are that protocol's glue, shared by the sensor actor
// and the node actor (actors/dataflow/{sensor,node}_actor.hpp); each actor
// only says what its inputs are and how its own state goes into and comes
// out of a `handover`. Everything is used from the owning actor's handlers.

#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "caf/actor.hpp"
#include "caf/actor_cast.hpp"
#include "caf/behavior.hpp"
#include "caf/response_promise.hpp"
#include "caf/scheduled_actor.hpp"

#include "actors/dataflow/publisher.hpp"
#include "actors/messages.hpp"
#include "runtime/core/log_sink.hpp"

namespace shoal {

/// A node or sensor moving to another member: where to, who asked, and how
/// many inputs (a sensor: sources) still have to confirm the switch.
struct move_state {
  caf::actor target;
  caf::response_promise rp;
  size_t pending = 0;
};

/// How long a move waits for its inputs before it goes on without them (an
/// input whose member died never confirms).
constexpr std::chrono::seconds move_patience{5};

/// Starts moving `self` to `target`: asks each distinct input to send to
/// `target` instead (`swap_atom`, urgent), and schedules the give-up
/// (`move_atom` alone) unless there is nobody to ask. Returns the promise
/// of the move; the caller finishes the move at once if `m->pending` is 0.
template <class Self>
caf::response_promise begin_move(Self* self, std::unique_ptr<move_state>& m,
                                 caf::actor target,
                                 std::vector<caf::actor> inputs) {
  std::sort(inputs.begin(), inputs.end());
  inputs.erase(std::unique(inputs.begin(), inputs.end()), inputs.end());
  m = std::make_unique<move_state>();
  m->rp = self->make_response_promise();
  m->target = std::move(target);
  m->pending = inputs.size();
  auto me = caf::actor_cast<caf::actor>(self);
  for (auto& in : inputs)
    self->template send<caf::message_priority::high>(in, swap_atom_v, me,
                                                     m->target);
  if (m->pending > 0)
    self->delayed_send(self, move_patience, move_atom_v);
  return m->rp;
}

/// One input confirmed the swap; true when it was the last.
inline bool confirm_move(const std::unique_ptr<move_state>& m) {
  return m && m->pending > 0 && --m->pending == 0;
}

/// The give-up fired: if inputs of `name` still have to confirm, says so on
/// `log`, stops waiting for them and returns true (the caller finishes the
/// move); false if the move is done or none is under way.
inline bool give_up_move(const std::unique_ptr<move_state>& m,
                         const std::string& name, log_sink& log) {
  if (!m || m->pending == 0)
    return false;
  logf(log, log_level::warning,
       {{"event", "move_unconfirmed"}, {"node", name}, {"inputs", m->pending}},
       "shoal-node: %s: %zu inputs did not confirm the move", name.c_str(),
       m->pending);
  m->pending = 0;
  return true;
}

/// The handlers of the moving actor, as a tuple to splice into its behavior
/// (no handler of its own is looked up at run time): `(move_atom, target)`,
/// the give-up `(move_atom)`, `(swapped_atom, key)` and the release note
/// `(restore_atom)` of `standby_behavior`. `self->state.move` holds the
/// move; `name()` names the actor on `log`, `inputs()` lists what to ask
/// to swap, and `finish()` hands the state over (`hand_over`) and stops.
template <class Self, class Name, class Inputs, class Finish>
auto move_handlers(Self* self, log_sink* log, Name name, Inputs inputs,
                   Finish finish) {
  return std::make_tuple(
    [=](move_atom, caf::actor& target) {
      auto& m = self->state.move;
      auto rp = begin_move(self, m, std::move(target), inputs());
      if (m->pending == 0)
        finish();
      return rp;
    },
    [=](move_atom) {
      if (give_up_move(self->state.move, name(), *log))
        finish();
    },
    [=](swapped_atom, uint64_t) {
      if (confirm_move(self->state.move))
        finish();
    },
    [=](restore_atom) {
      // See standby_behavior.
    });
}

/// Completes the move `m` of the node that publishes with `pub`: sends `h`
/// (which holds the actor's own state) with the subscribers and the latest
/// output to the target, tells each subscriber where the node went (after
/// its last batch from here), and answers the move. The caller then reports
/// and stops.
template <class Self>
void hand_over(Self* self, move_state& m, const publisher& pub, handover h) {
  pub.export_subscribers(h.subs, h.requested, h.sent);
  h.last = pub.last();
  auto subs = h.subs;
  self->send(m.target, restore_atom_v, std::move(h));
  for (auto& sub : subs)
    self->send(sub, moved_atom_v, pub.key(), m.target);
  m.rp.deliver(caf::ok_atom_v);
}

/// The behavior of a node or sensor spawned to take over a moving one: it
/// waits for `(restore_atom, handover)` from the previous actor, keeping
/// everything else in the mailbox, calls `restore(h)`, and then runs
/// `running`.
template <class Self, class Restore>
caf::behavior standby_behavior(Self* self, caf::behavior running,
                               Restore restore) {
  self->set_default_handler(caf::skip);
  return {
    [=](restore_atom, handover& h) mutable {
      restore(h);
      self->set_default_handler(caf::print_and_drop);
      self->become(running);
      // CAF keeps skipped messages in a cache per queue and retries one
      // only after handling a message from the same queue: a high-priority
      // note to ourselves releases the skipped high-priority ones (the
      // subscriptions of moved subscribers).
      self->template send<caf::message_priority::high>(self, restore_atom_v);
    },
  };
}

} // namespace shoal
