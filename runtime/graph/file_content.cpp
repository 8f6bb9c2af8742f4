#include "runtime/graph/file_content.hpp"

#include <cstring>

namespace shoal {

namespace {

/// Mixes one 64-bit word into the hash (the multiply-rotate step of
/// well-known non-cryptographic hashes): eight bytes per step, so that a
/// 64 MiB model hashes in a few milliseconds.
uint64_t mix(uint64_t h, uint64_t w) {
  w *= 0x87c37b91114253d5ull;
  w = (w << 31) | (w >> 33);
  h ^= w * 0x4cf5ad432745937full;
  h = (h << 27) | (h >> 37);
  return h * 5 + 0x52dce729;
}

const std::string no_bytes;

} // namespace

uint64_t content_fingerprint(const std::string& bytes) {
  uint64_t h = 0x9e3779b97f4a7c15ull ^ bytes.size();
  size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, bytes.data() + i, 8);
    h = mix(h, w);
  }
  uint64_t tail = 0;
  std::memcpy(&tail, bytes.data() + i, bytes.size() - i);
  h = mix(h, tail);
  // Final avalanche (fmix64): every input bit reaches every output bit.
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  // 0 means "no content".
  return h == 0 ? 1 : h;
}

file_content::file_content(std::string bytes)
  : buf_(std::make_shared<const std::string>(std::move(bytes))),
    fingerprint_(content_fingerprint(*buf_)) {
  // nop
}

const std::string& file_content::bytes() const {
  return buf_ ? *buf_ : no_bytes;
}

bool operator==(const file_content& x, const file_content& y) {
  if (x.buf_ == y.buf_)
    return true;
  if (x.empty() || y.empty() || x.fingerprint_ != y.fingerprint_)
    return false;
  return *x.buf_ == *y.buf_;
}

} // namespace shoal
