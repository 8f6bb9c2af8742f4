// Cutting a TCP byte stream into msgpack frames and frames into samples.
//
// A TCP source's client sends a stream of msgpack values, each one frame:
// either one sample, an array [sensor, ts, value] (sensor a string, ts an
// integer in int64 range, value any number), or a batch, an array of such
// arrays. A frame may be at most `max_frame_bytes` long (1 MiB by default);
// msgpack headers that announce more (a 4 GiB string, a 100-million-element
// array) are refused as soon as they are read, before any allocation, and
// `capacity()` never lets more than one byte past the limit of the frame
// under way in, so a longer frame is refused, not buffered whole.
//
// The owner reads socket data straight into `buffer()`, then calls
// `consume(n, out)`: complete frames are decoded and their good samples
// appended to `out`. A frame that is not a sample or a batch, or a batch
// element that is not a sample, counts as malformed; bytes that are not
// msgpack, or a frame longer than the limit, are a broken stream. Either
// way the connection should close: `result::close` says so, with a reason.
// At the end of the stream, `pending()` bytes of an unfinished frame are a
// truncated frame. Pure (no I/O); one per connection; not thread-safe.

#pragma once

#include <cstddef>
#include <cstdint>
#include <msgpack.hpp>
#include <string>
#include <vector>

#include "runtime/io/sample_inbox.hpp"

namespace shoal {

class frame_reader {
public:
  static constexpr size_t default_max_frame_bytes = size_t{1} << 20;

  /// What one `consume` found besides good samples.
  struct result {
    /// Malformed frames and batch elements.
    size_t malformed = 0;
    /// Whether the connection must close (a malformed frame or a broken
    /// stream); `reason` says why.
    bool close = false;
    std::string reason;
  };

  explicit frame_reader(size_t max_frame_bytes = default_max_frame_bytes);

  /// Where to read the next bytes to, and how many to read at most; call
  /// `buffer()` first.
  char* buffer();
  size_t capacity() const;

  /// Takes `n` bytes just written to `buffer()`; appends the samples of
  /// complete frames to `out`.
  result consume(size_t n, std::vector<inbox_sample>& out);

  /// Bytes of a frame not yet complete.
  size_t pending() const;

  /// Complete frames decoded so far.
  uint64_t frames() const {
    return frames_;
  }

  size_t max_frame_bytes() const {
    return max_frame_;
  }

private:
  /// Decodes one frame; returns false (and sets `res`) if it is malformed.
  bool decode(const msgpack::object& frame, std::vector<inbox_sample>& out,
              result& res);

  /// Refuses the frame under way as longer than the limit.
  void too_long(result& res) const;

  size_t max_frame_;
  msgpack::unpacker unpacker_;
  uint64_t frames_ = 0;
};

/// Decodes one [sensor, ts, value] array into `out`; on failure returns
/// false and says why in `reason`.
bool decode_sample(const msgpack::object& x, inbox_sample& out,
                   std::string& reason);

} // namespace shoal
