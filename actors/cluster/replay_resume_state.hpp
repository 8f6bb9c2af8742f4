// What a cluster replay keeps so that it can go on from a checkpoint after
// a member's death (actors/cluster/replay_resume.hpp): a plain struct in
// the replay session, changed only in replay_resume.cpp.

#pragma once

#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <string>
#include <utility>

namespace shoal {

struct replay_resume_state {
  /// Where a replay source was in a round: the offset of the first byte it
  /// had not read and its `replay_position`; `ended` as the offset when
  /// the source had read the whole input before the round.
  static constexpr uint64_t ended = std::numeric_limits<uint64_t>::max();
  using position = std::pair<uint64_t, std::string>;

  /// Checkpoints are on: the input is kept from the oldest committed
  /// position on, as the pieces it came in (`kept_from` is where the first
  /// one begins in the input), so that keeping a piece and dropping the
  /// oldest ones copies nothing else (one string, grown and cut from the
  /// front, moved what it kept at every commit and every doubling: 6 % of
  /// a replay's page faults; docs/performance.md, "What else a round
  /// costs").
  bool on = false;
  std::deque<std::string> kept;
  uint64_t kept_from = 0;
  uint64_t kept_bytes = 0;
  /// Positions of rounds not committed yet, and of the last two committed.
  std::map<uint64_t, position> taken;
  std::map<uint64_t, position> committed;
  /// The committed round when the session opened: a round at or before it
  /// holds none of this input (the replay goes on from its start).
  uint64_t opened_after = 0;
  /// A member died: the round the leader will restore, until it did.
  uint64_t awaiting = 0;
};

} // namespace shoal
