// The state of a node's function as bytes, for moving a node to another
// member with its state (windows, previous values, Lua `state`).
//
// `state_writer` appends plain values and strings; `state_reader` reads them
// back in the same order and turns `ok()` false on running out of bytes, so
// a damaged state is refused instead of read as garbage. Both are for one
// node's function at a time; the byte layout is private to each function
// class and only read by the same class in the same build.

#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>

namespace shoal {

class state_writer {
public:
  template <class T>
  void put(const T& x) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes_.append(reinterpret_cast<const char*>(&x), sizeof(T));
  }

  void put_string(const std::string& x) {
    put(static_cast<uint64_t>(x.size()));
    bytes_.append(x);
  }

  std::string& bytes() {
    return bytes_;
  }

private:
  std::string bytes_;
};

class state_reader {
public:
  explicit state_reader(const std::string& bytes) : bytes_(bytes) {
    // nop
  }

  template <class T>
  T get() {
    static_assert(std::is_trivially_copyable_v<T>);
    T x{};
    if (!ok_ || bytes_.size() - pos_ < sizeof(T)) {
      ok_ = false;
      return x;
    }
    std::memcpy(&x, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return x;
  }

  std::string get_string() {
    auto n = get<uint64_t>();
    if (!ok_ || bytes_.size() - pos_ < n) {
      ok_ = false;
      return {};
    }
    std::string x = bytes_.substr(pos_, static_cast<size_t>(n));
    pos_ += static_cast<size_t>(n);
    return x;
  }

  /// Whether every read so far found its bytes.
  bool ok() const {
    return ok_;
  }

  /// Whether everything was read.
  bool done() const {
    return pos_ == bytes_.size();
  }

private:
  const std::string& bytes_;
  size_t pos_ = 0;
  bool ok_ = true;
};

} // namespace shoal
