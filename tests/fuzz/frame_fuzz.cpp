// Fuzzes the msgpack frame reader of TCP sources (runtime/io/frame_reader):
// the bytes after the first are a TCP stream; the first picks the frame
// limit (64 bytes to 16 KiB). The stream is fed twice, a byte at a time and
// in as large pieces as the reader takes, and both must give the same
// samples, malformed count and verdict: where the network cuts the stream
// must not matter.

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "runtime/io/frame_reader.hpp"

using namespace shoal;

namespace {

struct outcome {
  std::vector<inbox_sample> samples;
  size_t malformed = 0;
  bool closed = false;
  size_t pending = 0;
};

outcome feed(const uint8_t* data, size_t size, size_t max_frame, size_t step) {
  frame_reader reader{max_frame};
  outcome out;
  for (size_t pos = 0; pos < size && !out.closed;) {
    auto* buf = reader.buffer();
    auto cap = reader.capacity();
    // The reader never takes more than one byte past its frame limit.
    if (cap == 0 || cap > max_frame + 1)
      std::abort();
    auto n = std::min({step, size - pos, cap});
    std::memcpy(buf, data + pos, n);
    pos += n;
    auto res = reader.consume(n, out.samples);
    out.malformed += res.malformed;
    out.closed = res.close;
  }
  out.pending = out.closed ? 0 : reader.pending();
  return out;
}

bool same(const outcome& x, const outcome& y) {
  if (x.closed != y.closed || x.malformed != y.malformed
      || x.pending != y.pending || x.samples.size() != y.samples.size())
    return false;
  for (size_t i = 0; i < x.samples.size(); ++i) {
    const auto& a = x.samples[i];
    const auto& b = y.samples[i];
    if (a.sensor != b.sensor || a.ts != b.ts
        || std::memcmp(&a.value, &b.value, sizeof(double)) != 0)
      return false;
  }
  return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1)
    return 0;
  size_t max_frame = size_t{64} << (data[0] % 9);
  auto whole = feed(data + 1, size - 1, max_frame, size);
  auto bytewise = feed(data + 1, size - 1, max_frame, 1);
  if (!same(whole, bytewise))
    std::abort();
  return 0;
}
