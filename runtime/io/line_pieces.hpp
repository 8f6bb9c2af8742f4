// Cuts a byte source into pieces of whole lines, for streaming a file to a
// member (`shoalctl replay`, actors/cluster/replay_session.hpp).
//
// Each piece holds at most `max_bytes` and ends at a line end, so that a
// piece is whole rows; a line longer than a piece is cut anywhere (the
// reader at the other end joins it again, or counts it as malformed). Holds
// at most one piece and the start of the next one: a file of any size
// streams in bounded memory. `offset()` is where the next piece starts in
// the input. Not thread-safe.

#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "runtime/io/byte_source.hpp"

namespace shoal {

class line_pieces {
public:
  /// About 1 MiB: large enough that a round trip per piece costs little,
  /// small enough that both sides hold little.
  static constexpr size_t default_max_bytes = size_t{1} << 20;

  explicit line_pieces(std::shared_ptr<byte_source> src,
                       size_t max_bytes = default_max_bytes);

  /// Puts the next piece in `out`; `last` when the input ends after it (the
  /// last piece may be empty: an empty input). False once the last piece
  /// was handed out.
  bool next(std::string& out, bool& last);

  /// Where the next piece starts in the input, in bytes.
  uint64_t offset() const {
    return offset_;
  }

  /// Whether reading failed (the input ended early).
  bool failed() const {
    return src_->failed();
  }

  /// What the read error was, if the source says (`byte_source`).
  std::string why_failed() const {
    return src_->why_failed();
  }

private:
  std::shared_ptr<byte_source> src_;
  size_t max_bytes_;
  /// Bytes read past the last line end of the piece before.
  std::string carry_;
  uint64_t offset_ = 0;
  bool end_ = false;
  bool done_ = false;
};

} // namespace shoal
