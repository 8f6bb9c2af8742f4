// A graph host's part of checkpoints (docs/cluster.md, "Checkpoints"): it
// asks its sensors for their parts of a round, collects the parts of all
// its nodes from its board (actors/dataflow/checkpoint_marks.hpp and
// checkpoint_board.hpp), encodes the states, has its member's
// checkpoint keeper write the states that changed
// (actors/cluster/checkpoint_keeper.hpp), and sends them to the graph host
// of the member that keeps this member's copy (the first time that member
// keeps it, every state as of this round, not only the changed ones). It
// also passes the copies other members send, the reads of states to
// restore and the commits to its keeper.
//
// Messages handled (all with ckpt_atom first):
//   (ckpt_atom, uint64_t k, caf::actor copy_host) -> ok_atom
//       from the member: take round k; `copy_host` (may be invalid: no
//       copy) is the graph host that keeps this member's copy; answered
//       once the states are written here and there; before that, once
//       every node's part is here (the states are captured), it tells the
//       member `(ckpt_atom, ready_atom, k)`
//   (ckpt_atom, ready_atom, uint64_t k)
//       from a node: its part was the last one round k waited for; the
//       host takes every part from its board
//       (actors/dataflow/checkpoint_board.hpp)
//   (ckpt_atom, uint64_t k, std::string owner, std::vector<std::string>
//    names, std::vector<std::string> states) -> ok_atom
//       another member's copy, written by the keeper
//   (ckpt_atom, fetch_atom, std::string owner, uint64_t k,
//    std::vector<std::string> names) -> (names, states)
//   (ckpt_atom, load_atom) -> uint64_t: a count of what this process did
//       so far (batches handled, samples, firings)
//   (ckpt_atom, get_atom) -> (uint64_t k, std::string meta, uint64_t bytes)
//       the keeper's committed round and the store's size
//   (ckpt_atom, ok_atom, uint64_t k, std::string meta, std::string graph,
//    std::string placement) -> ok_atom: commits round k (with the graph
//       and the placement, where they changed)
// Runs in the graph host; its state is `graph_host_state::ckpt`. Each round
// written is one debug line in the log (`event=checkpoint_written round=
// changed= bytes= ms= captured_ms=`: from the request to the written copy,
// and to the last node's part).

#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/message.hpp"
#include "caf/message_handler.hpp"
#include "caf/response_promise.hpp"
#include "caf/stateful_actor.hpp"

#include "actors/dataflow/checkpoint_board.hpp"
#include "runtime/core/log_sink.hpp"

namespace shoal {

struct graph_host_state;

/// One round under way at a graph host.
struct host_round {
  uint64_t k = 0;
  /// Every part was taken from the board.
  bool collected = false;
  /// The parts that changed.
  std::vector<std::string> names;
  std::vector<std::string> states;
  /// Once every part is here: `(ckpt_atom, k, member, names, states)`,
  /// made once and sent both to the keeper and to the copy's host (a
  /// message's contents are shared, not copied, by its receivers).
  caf::message written;
  /// How many parts changed and their bytes, kept for the log after
  /// `names` and `states` went out.
  size_t changed = 0;
  size_t bytes = 0;
  std::chrono::steady_clock::time_point started;
  /// When the last node's part came (the states are in memory; writing
  /// them begins).
  std::chrono::steady_clock::time_point captured;
  caf::actor copy_host;
  /// The member actor that asked for the round: it learns when every
  /// node's part is here, `(ckpt_atom, ready_atom, k)`.
  caf::actor member;
  caf::response_promise rp;
};

struct host_checkpoint_state {
  /// The member's name (the owner of its states) and its keeper; no
  /// keeper: checkpoints are off.
  std::string member;
  caf::actor keeper;
  /// Where this host's nodes put their parts (made with the keeper; given
  /// to every node it spawns).
  checkpoint_board_ptr board;
  std::shared_ptr<host_round> round;
  /// The graph host that holds a full copy of this member's states.
  caf::actor copy_host;
  /// Where the written rounds are logged (the process's log).
  log_sink* log = &stderr_log();
};

/// The messages above.
caf::message_handler
host_checkpoint_handlers(caf::stateful_actor<graph_host_state>* self);

} // namespace shoal
