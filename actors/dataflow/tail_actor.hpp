// The actor behind `shoalctl tail NODE...`: live outputs of some nodes,
// forwarded to a client.
//
// Spawned by a member for one client: it subscribes to the named nodes
// (wherever they run) like any subscriber without a band, sends every batch
// of outputs to the client as `std::vector<output_row>`, and watches the
// client: when it goes away, the tail unsubscribes and quits. It also quits
// once every node reached end of stream, telling the client with
// `(done_atom)`.
//
// Messages handled:
//   batch                                from a node
//   (mark_atom, uint64_t k, uint64_t key) a checkpoint mark: ignored
//   (subscribed_atom, key, point, wm)    subscription confirmed (ignored)

#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "caf/actor.hpp"
#include "caf/stateful_actor.hpp"

namespace shoal {

struct tail_state {
  static inline const char* name = "shoal.tail";
  caf::actor client;
  /// Node key -> name, and whether it ended.
  std::unordered_map<uint64_t, std::string> names;
  std::vector<caf::actor> nodes;
  size_t open = 0;
};

/// Follows `nodes` (named `names`) for `client`.
caf::behavior tail_actor(caf::stateful_actor<tail_state>* self,
                         caf::actor client, std::vector<caf::actor> nodes,
                         std::vector<std::string> names);

} // namespace shoal
