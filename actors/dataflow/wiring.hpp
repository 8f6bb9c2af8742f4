// Subscribing an actor to its inputs.
//
// `input_wiring::start` sends `(subscribe_atom, self, band, key)` once to
// every distinct input node (with high priority if `urgent`); `key` names the
// node at that actor. Each input answers with a
// plain message
// `(subscribed_atom, key, point last, int64_t wm)`, which the owner hands to
// `confirm`; once every input confirmed, the promise returned by `start` is
// delivered with `ok_atom`. Plain messages instead of one request per input:
// CAF 0.17 keeps pending responses in a flat vector, which made wiring a
// sink to 100,000 nodes quadratic. A later `start` (a re-wiring while the
// graph changes) may overlap an earlier one: promises are delivered in
// order as the confirmations add up. Owned by one actor.
//
// `begin_move`, `confirm_move` and `give_up_move` are the input side of
// moving a node or sensor to another member (node_actor.hpp): asking the
// inputs to swap to the new actor, and counting their confirmations.

#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/actor_cast.hpp"
#include "caf/behavior.hpp"
#include "caf/response_promise.hpp"
#include "caf/scheduled_actor.hpp"

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
       "shoal-node: %s: %zu inputs did not confirm the move", name.c_str(),
       m->pending);
  m->pending = 0;
  return true;
}

/// One subscription of an actor: the input's actor, the key of the node it
/// runs there (an actor may run several nodes, actors/dataflow/cell_actor.hpp)
/// and the subscriber's band (actors/dataflow/progress.hpp).
struct input_ref {
  caf::actor handle;
  uint64_t key = 0;
  uint32_t band = UINT32_MAX;

  friend bool operator<(const input_ref& a, const input_ref& b) {
    return a.handle < b.handle || (a.handle == b.handle && a.key < b.key);
  }

  friend bool operator==(const input_ref& a, const input_ref& b) {
    return a.handle == b.handle && a.key == b.key;
  }
};

/// Pairs `handles[i]` with `keys[i]`, all in band `band`.
inline std::vector<input_ref> input_refs(std::vector<caf::actor> handles,
                                         const std::vector<uint64_t>& keys,
                                         uint32_t band) {
  std::vector<input_ref> result;
  result.reserve(handles.size());
  for (size_t i = 0; i < handles.size() && i < keys.size(); ++i)
    result.push_back(input_ref{std::move(handles[i]), keys[i], band});
  return result;
}

/// Subscribes `self` to node `key` at actor `to` (`band`: see progress.hpp).
template <class Self>
void subscribe_to(Self* self, const caf::actor& to, uint64_t key, uint32_t band,
                  bool urgent) {
  auto me = caf::actor_cast<caf::actor>(self);
  if (urgent)
    self->template send<caf::message_priority::high>(to, caf::subscribe_atom_v,
                                                     std::move(me), band, key);
  else
    self->send(to, caf::subscribe_atom_v, std::move(me), band, key);
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

class input_wiring {
public:
  template <class Self>
  caf::response_promise start(Self* self, std::vector<input_ref> inputs,
                              bool urgent = false) {
    auto rp = self->make_response_promise();
    std::sort(inputs.begin(), inputs.end());
    inputs.erase(std::unique(inputs.begin(), inputs.end()), inputs.end());
    // Urgent while the graph runs (a hot-added node starts from its input's
    // next output, not after that input's backlog). Not at deployment: a
    // flood of urgent messages makes CAF 0.17's mailboxes slow (measured:
    // wiring a sink to 200,000 nodes took 18 s instead of 1.5 s).
    for (auto& in : inputs)
      subscribe_to(self, in.handle, in.key, in.band, urgent);
    waiting_.push_back(entry{rp, inputs.size()});
    deliver_done();
    return rp;
  }

  /// One input confirmed its subscription.
  void confirm() {
    for (auto& w : waiting_) {
      if (w.pending > 0) {
        --w.pending;
        break;
      }
    }
    deliver_done();
  }

private:
  struct entry {
    caf::response_promise rp;
    size_t pending;
  };

  void deliver_done() {
    size_t done = 0;
    while (done < waiting_.size() && waiting_[done].pending == 0)
      waiting_[done++].rp.deliver(caf::ok_atom_v);
    waiting_.erase(waiting_.begin(),
                   waiting_.begin() + static_cast<std::ptrdiff_t>(done));
  }

  /// Rarely more than one; a vector holds no memory when empty (a deque
  /// would hold over 500 bytes per actor).
  std::vector<entry> waiting_;
};

} // namespace shoal
