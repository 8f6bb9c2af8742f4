// Subscribing a node to its inputs.
//
// `subscribe_all` sends `(subscribe_atom, self)` to every input and hands
// each reply (the input's latest output and watermark) to `on_reply(i, ...)`.
// The returned promise is delivered with `ok_atom` once every input has
// answered, or with the first error.

#pragma once

#include <memory>
#include <vector>

#include "caf/actor.hpp"
#include "caf/actor_cast.hpp"
#include "caf/response_promise.hpp"

#include "actors/messages.hpp"

namespace shoal {

template <class Self, class OnReply>
caf::response_promise subscribe_all(Self* self, std::vector<caf::actor> inputs,
                                    OnReply on_reply) {
  auto rp = self->make_response_promise();
  if (inputs.empty()) {
    rp.deliver(caf::ok_atom_v);
    return rp;
  }
  auto pending = std::make_shared<size_t>(inputs.size());
  auto me = caf::actor_cast<caf::actor>(self);
  for (size_t i = 0; i < inputs.size(); ++i) {
    self->request(inputs[i], caf::infinite, caf::subscribe_atom_v, me)
      .then(
        [=](point last, int64_t wm) mutable {
          on_reply(i, last, wm);
          if (--*pending == 0)
            rp.deliver(caf::ok_atom_v);
        },
        [=](caf::error& err) mutable {
          if (*pending > 0) {
            *pending = 0;
            rp.deliver(std::move(err));
          }
        });
  }
  return rp;
}

} // namespace shoal
