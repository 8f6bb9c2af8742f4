#include "actors/wire_packing.hpp"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <type_traits>

namespace shoal {

namespace {

constexpr bool little_endian = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;

/// Reverses the bytes of every `W`-byte word of `n` bytes at `data`: from
/// this machine's order to little-endian and back, on a big-endian machine.
template <size_t W>
void swap_words(void* data, size_t n) {
  auto* bytes = static_cast<char*>(data);
  for (size_t i = 0; i + W <= n; i += W)
    std::reverse(bytes + i, bytes + i + W);
}

/// Writes `xs` as its length and one block of bytes; `T` is made of
/// `W`-byte words.
template <size_t W, class T>
caf::error save(caf::serializer& f, std::vector<T>& xs) {
  static_assert(std::is_trivially_copyable<T>::value && sizeof(T) % W == 0);
  auto n = xs.size();
  if (auto err = f.begin_sequence(n))
    return err;
  if (n > 0) {
    auto bytes = n * sizeof(T);
    if constexpr (little_endian) {
      if (auto err = f.apply_raw(bytes, xs.data()))
        return err;
    } else {
      std::vector<char> buf(bytes);
      std::memcpy(buf.data(), xs.data(), bytes);
      swap_words<W>(buf.data(), bytes);
      if (auto err = f.apply_raw(bytes, buf.data()))
        return err;
    }
  }
  return f.end_sequence();
}

/// Reads what `save` wrote into `xs`, a bounded step at a time.
template <size_t W, class T>
caf::error load(caf::deserializer& f, std::vector<T>& xs) {
  // 1 MiB a step: a length that lies costs at most that much memory.
  constexpr size_t step = (size_t{1} << 20) / sizeof(T);
  size_t n = 0;
  if (auto err = f.begin_sequence(n))
    return err;
  xs.clear();
  for (size_t done = 0; done < n;) {
    auto k = std::min(step, n - done);
    xs.resize(done + k);
    if (auto err = f.apply_raw(k * sizeof(T), xs.data() + done)) {
      xs.clear();
      return err;
    }
    if constexpr (!little_endian)
      swap_words<W>(xs.data() + done, k * sizeof(T));
    done += k;
  }
  return f.end_sequence();
}

} // namespace

// A point is two 8-byte words, `ts` and `value`, with no padding.
static_assert(sizeof(point) == 16 && offsetof(point, value) == 8);

caf::error inspect(caf::serializer& f, packed<point>& x) {
  return save<8>(f, *x.xs);
}

caf::error inspect(caf::deserializer& f, packed<point>& x) {
  return load<8>(f, *x.xs);
}

caf::error inspect(caf::serializer& f, packed<uint32_t>& x) {
  return save<4>(f, *x.xs);
}

caf::error inspect(caf::deserializer& f, packed<uint32_t>& x) {
  return load<4>(f, *x.xs);
}

} // namespace shoal
