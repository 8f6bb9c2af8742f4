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
// The data-edge protocol itself is in actors/dataflow/data_edge.hpp.

#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "caf/actor.hpp"
#include "caf/actor_cast.hpp"
#include "caf/response_promise.hpp"
#include "caf/scheduled_actor.hpp"

#include "actors/messages.hpp"

namespace shoal {

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
