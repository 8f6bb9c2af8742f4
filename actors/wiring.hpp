// Subscribing an actor to its inputs.
//
// `input_wiring::start` sends `(subscribe_atom, self, band)` once to every
// distinct input (with high priority if `urgent`). Each input answers with a plain message
// `(subscribed_atom, key, point last, int64_t wm)`, which the owner hands to
// `confirm`; once every input confirmed, the promise returned by `start` is
// delivered with `ok_atom`. Plain messages instead of one request per input:
// CAF 0.17 keeps pending responses in a flat vector, which made wiring a
// sink to 100,000 nodes quadratic. A later `start` (a re-wiring while the
// graph changes) may overlap an earlier one: promises are delivered in
// order as the confirmations add up. Owned by one actor.

#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "caf/actor.hpp"
#include "caf/actor_cast.hpp"
#include "caf/response_promise.hpp"

#include "actors/messages.hpp"

namespace shoal {

/// A node or sensor moving to another member: where to, who asked, and how
/// many inputs (a sensor: sources) still have to confirm the switch.
struct move_state {
  caf::actor target;
  caf::response_promise rp;
  size_t pending = 0;
};

class input_wiring {
public:
  template <class Self>
  caf::response_promise start(Self* self, std::vector<caf::actor> inputs,
                              uint32_t band, bool urgent = false) {
    auto rp = self->make_response_promise();
    std::sort(inputs.begin(), inputs.end());
    inputs.erase(std::unique(inputs.begin(), inputs.end()), inputs.end());
    auto me = caf::actor_cast<caf::actor>(self);
    // Urgent while the graph runs (a hot-added node starts from its input's
    // next output, not after that input's backlog). Not at deployment: a
    // flood of urgent messages makes CAF 0.17's mailboxes slow (measured:
    // wiring a sink to 200,000 nodes took 18 s instead of 1.5 s).
    for (auto& in : inputs)
      if (urgent)
        self->template send<caf::message_priority::high>(
          in, caf::subscribe_atom_v, me, band);
      else
        self->send(in, caf::subscribe_atom_v, me, band);
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
