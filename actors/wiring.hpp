// Subscribing an actor to its inputs.
//
// `input_wiring::start` sends `(subscribe_atom, self, band)` once to every
// distinct input. Each input answers with a plain message
// `(subscribed_atom, key, point last, int64_t wm)`, which the owner hands to
// `confirm`; once every input confirmed, the promise returned by `start` is
// delivered with `ok_atom`. Plain messages instead of one request per input:
// CAF 0.17 keeps pending responses in a flat vector, which made wiring a
// sink to 100,000 nodes quadratic. Owned by one actor.

#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "caf/actor.hpp"
#include "caf/actor_cast.hpp"
#include "caf/response_promise.hpp"

#include "actors/messages.hpp"

namespace shoal {

class input_wiring {
public:
  template <class Self>
  caf::response_promise start(Self* self, std::vector<caf::actor> inputs,
                              uint32_t band) {
    rp_ = self->make_response_promise();
    std::sort(inputs.begin(), inputs.end());
    inputs.erase(std::unique(inputs.begin(), inputs.end()), inputs.end());
    pending_ = inputs.size();
    auto me = caf::actor_cast<caf::actor>(self);
    for (auto& in : inputs)
      self->send(in, caf::subscribe_atom_v, me, band);
    if (pending_ == 0)
      rp_.deliver(caf::ok_atom_v);
    return rp_;
  }

  /// One input confirmed its subscription.
  void confirm() {
    if (pending_ > 0 && --pending_ == 0)
      rp_.deliver(caf::ok_atom_v);
  }

private:
  caf::response_promise rp_;
  size_t pending_ = 0;
};

} // namespace shoal
