// Fuzzes the member port's frame guard (runtime/cluster/basp_guard): the
// bytes after the first are what a peer sends; the first picks a second
// piece size. The stream is fed twice, a byte at a time and in pieces of
// that size, and both must give the same verdict at the same byte: where
// the network cuts the stream must not matter.

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "runtime/cluster/basp_guard.hpp"

using namespace shoal;

namespace {

struct outcome {
  std::string refused;
  /// Bytes fed up to and including the piece that was refused.
  size_t fed = 0;
  bool handshaken = false;
};

outcome feed(const char* data, size_t size, size_t step) {
  // Small limits, so that the fuzzer reaches them.
  basp_guard guard{64, 4096};
  outcome out;
  for (size_t pos = 0; pos < size; pos += step) {
    auto n = std::min(step, size - pos);
    out.refused = guard.feed(data + pos, n);
    if (!out.refused.empty()) {
      out.fed = pos + n;
      break;
    }
  }
  out.handshaken = guard.handshaken();
  return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1)
    return 0;
  auto step = static_cast<size_t>(data[0]) + 1;
  auto* bytes = reinterpret_cast<const char*>(data + 1);
  auto one = feed(bytes, size - 1, 1);
  auto many = feed(bytes, size - 1, step);
  // Refused by the same rule, within the piece that held the byte that
  // broke it; else neither refused and both saw the handshake or neither.
  if (one.refused != many.refused)
    std::abort();
  if (!one.refused.empty()
      && (many.fed < one.fed || many.fed >= one.fed + step))
    std::abort();
  if (one.refused.empty() && one.handshaken != many.handshaken)
    std::abort();
  return 0;
}
