// Where the sensors and nodes of one graph host put their parts of a
// checkpoint round (actors/dataflow/checkpoint_marks.hpp), instead of
// sending each part to the host as a message.
//
// A round at 100,000 nodes cost about six messages per node, and the
// rounds, not the writing, were what a replay with checkpoints paid for
// (docs/performance.md, "Checkpoints in a cluster"): one of those was each
// node's part to its host, and the host's lookup of its name. Now the
// node puts its state here under a short lock; the part that completes the
// round tells the host with one message, and the host takes every part at
// once.
//
// A part may come before its host began the round: a node whose inputs are
// all on other members can take its part as soon as their marks arrive,
// before this member's host was asked. Such parts wait here until the
// round begins; parts of a round that was superseded are dropped when a
// newer round begins (so a round aborted before it began here leaves at
// most its parts until then).
//
// Thread-safe: written by the host's nodes on any scheduler thread, read
// by the host.

#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "actors/messages.hpp"

namespace shoal {

class checkpoint_board {
public:
  /// One part: the node's name and its state (none: unchanged since its
  /// last part).
  struct part {
    std::string name;
    std::optional<handover> state;
  };

  /// Node side: the part of round `k`. True when it was the last part the
  /// round waited for: the caller then tells the host.
  bool put(uint64_t k, std::string name, std::optional<handover> state) {
    std::lock_guard<std::mutex> guard{mtx_};
    if (k < k_)
      return false;
    if (k > k_ || pending_ == 0) {
      if (k > k_)
        early_.push_back(
          early_part{k, part{std::move(name), std::move(state)}});
      return false;
    }
    parts_.push_back(part{std::move(name), std::move(state)});
    return --pending_ == 0;
  }

  /// Host side: round `k` begins and waits for `expected` parts (newer than
  /// any round before). True when they are all here already.
  bool begin(uint64_t k, size_t expected) {
    std::lock_guard<std::mutex> guard{mtx_};
    k_ = k;
    pending_ = expected;
    parts_.clear();
    std::vector<early_part> later;
    for (auto& x : early_) {
      if (x.k == k && pending_ > 0) {
        parts_.push_back(std::move(x.p));
        --pending_;
      } else if (x.k > k) {
        later.push_back(std::move(x));
      }
    }
    early_ = std::move(later);
    return pending_ == 0;
  }

  /// Host side: the parts of round `k` once every one is here; none
  /// otherwise (a round that was superseded meanwhile).
  std::vector<part> take(uint64_t k) {
    std::lock_guard<std::mutex> guard{mtx_};
    if (k != k_ || pending_ > 0)
      return {};
    return std::move(parts_);
  }

  /// Parts still to come for the round under way (for tests and logs).
  size_t pending() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return pending_;
  }

private:
  struct early_part {
    uint64_t k;
    part p;
  };

  mutable std::mutex mtx_;
  /// The round under way (0: none yet) and the parts it still waits for.
  uint64_t k_ = 0;
  size_t pending_ = 0;
  std::vector<part> parts_;
  /// Parts of rounds that did not begin here yet.
  std::vector<early_part> early_;
};

using checkpoint_board_ptr = std::shared_ptr<checkpoint_board>;

} // namespace shoal
