// A node's checkpointed state as bytes, and back: the `handover` a node
// sends its graph host when it takes its part of a checkpoint
// (actors/dataflow/checkpoint_marks.hpp), without subscribers or inputs,
// encoded with CAF's binary serializer. The checkpoint store keeps these
// bytes (runtime/state/checkpoint_store.hpp); a node restored from them
// starts as a node that moved here (actors/dataflow/move_protocol.hpp).
// Also the metadata of a committed checkpoint. Pure functions; any thread.

#pragma once

#include <string>
#include <vector>

#include "caf/actor_system.hpp"
#include "caf/expected.hpp"

#include "actors/messages.hpp"

namespace shoal {

/// What the leader records with a committed checkpoint: where each node's
/// state is (the member that ran it) and which member keeps each member's
/// copy.
struct checkpoint_meta {
  uint64_t k = 0;
  std::vector<std::string> nodes;
  /// `owners[i]` ran `nodes[i]` when the checkpoint was taken.
  std::vector<std::string> owners;
  /// `copies[j]` keeps the copy of `members[j]`'s states (empty: none).
  std::vector<std::string> members;
  std::vector<std::string> copies;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, checkpoint_meta& x) {
  return f(x.k, x.nodes, x.owners, x.members, x.copies);
}

/// `h` as bytes.
std::string encode_state(caf::actor_system& sys, const handover& h);

/// The `handover` of `bytes`; an error naming `node` if they do not decode.
caf::expected<handover> decode_state(caf::actor_system& sys,
                                     const std::string& bytes,
                                     const std::string& node);

std::string encode_meta(caf::actor_system& sys, const checkpoint_meta& m);

/// The deployed graph, with its model and Lua contents, as bytes.
std::string encode_graph(caf::actor_system& sys, const graph_spec& g);

caf::expected<graph_spec> decode_graph(caf::actor_system& sys,
                                       const std::string& bytes);

caf::expected<checkpoint_meta> decode_meta(caf::actor_system& sys,
                                           const std::string& bytes);

} // namespace shoal
