// The actor that owns a member's checkpoint store
// (runtime/state/checkpoint_store.hpp): the states of its own nodes, the
// copy of one other member's, and the committed checkpoints.
//
// It runs detached (its own thread): a write waits for RocksDB's synced
// log, and that must not hold up a scheduler thread that runs nodes. Only
// the member's graph host talks to it (actors/cluster/graph_host.hpp);
// every request has a deadline there. Errors name the store's directory.
//
// Messages handled:
//   (ckpt_atom, uint64_t k, std::string owner, std::vector<std::string>
//    names, std::vector<std::string> states) -> ok_atom
//       writes the states of `owner`'s nodes that changed in round k
//   (ckpt_atom, fetch_atom, std::string owner, uint64_t k,
//    std::vector<std::string> names)
//       -> (std::vector<std::string> names, std::vector<std::string> states)
//          the nodes of `names` (all of `owner`'s when empty) as of k; a
//          node without a state is absent
//   (ckpt_atom, ok_atom, uint64_t k, std::string meta, std::string graph,
//    std::string placement) -> ok_atom: writes the graph and the placement
//       (those not empty: they changed; owner `graph_owner`), commits round
//       k with its metadata, and now and then prunes what no read of k or
//       later needs
//   (ckpt_atom, get_atom) -> (uint64_t k, std::string meta, uint64_t bytes)
//       the latest committed round (0 and empty when none) and the store's
//       size

#pragma once

#include <cstdint>
#include <memory>

#include "caf/stateful_actor.hpp"

#include "runtime/state/checkpoint_store.hpp"

namespace shoal {

/// Commits between two prunes of the store.
constexpr uint64_t prune_every = 16;

struct checkpoint_keeper_state {
  static inline const char* name = "shoal.keeper";
  std::shared_ptr<checkpoint_store> store;
  uint64_t commits = 0;
};

/// Runs with the opened `store`.
caf::behavior
checkpoint_keeper(caf::stateful_actor<checkpoint_keeper_state>* self,
                  std::shared_ptr<checkpoint_store> opened);

} // namespace shoal
