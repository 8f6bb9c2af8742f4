// The key layout of the checkpoint store (checkpoint_store.hpp), in one
// place: building keys and taking them apart. Pure functions over bytes.
//
//   s/<owner>\0<node>\0<k, 8 bytes big-endian>  ->  'v' + state | 'x'
//   m/<k, 8 bytes big-endian>                   ->  metadata of checkpoint k
//   c                                           ->  latest committed k
//
// Big-endian ids sort as numbers in RocksDB's bytewise order, and NUL sorts
// before every name byte, so an owner's entries are contiguous, grouped by
// node, each node's in id order.

#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace shoal::checkpoint_keys {

/// The first byte of an entry's value: a state follows, or the node was
/// removed.
constexpr char value_tag = 'v';
constexpr char removed_tag = 'x';

constexpr size_t id_size = 8;

/// The key of the latest committed id.
inline const std::string committed = "c";

/// The prefix of every entry of every owner, and the first key after them
/// ('0' follows '/').
inline const std::string states_begin = "s/";
inline const std::string states_end = "s0";

/// `k` as 8 big-endian bytes.
inline std::string be64(uint64_t k) {
  std::string out(id_size, '\0');
  for (size_t i = id_size; i-- > 0; k >>= 8)
    out[i] = static_cast<char>(k & 0xff);
  return out;
}

inline uint64_t from_be64(const char* bytes) {
  uint64_t k = 0;
  for (size_t i = 0; i < id_size; ++i)
    k = (k << 8) | static_cast<unsigned char>(bytes[i]);
  return k;
}

/// "s/<owner>\0": what every entry of `owner` starts with.
inline std::string owner_prefix(std::string_view owner) {
  std::string out = states_begin;
  out += owner;
  out += '\0';
  return out;
}

/// The first key after all keys that start with `prefix` (which ends in the
/// NUL separator).
inline std::string past(std::string prefix) {
  prefix.back() = '\1';
  return prefix;
}

/// NUL and the id that end the key of an entry at checkpoint `k`.
inline std::string entry_suffix(uint64_t k) {
  return std::string(1, '\0') + be64(k);
}

inline std::string meta(uint64_t k) {
  return "m/" + be64(k);
}

/// Names are part of keys, where NUL separates them.
inline bool valid_name(std::string_view x) {
  return !x.empty() && x.find('\0') == std::string_view::npos;
}

/// The node of an entry's `key` that starts with a `prefix_size` long owner
/// prefix; empty if the key does not have the layout's shape.
inline std::string_view node_of(std::string_view key, size_t prefix_size) {
  if (key.size() < prefix_size + 2 + id_size
      || key[key.size() - id_size - 1] != '\0')
    return {};
  return key.substr(prefix_size, key.size() - prefix_size - id_size - 1);
}

/// The checkpoint id of an entry's `key` (at least 8 bytes long).
inline uint64_t id_of(std::string_view key) {
  return from_be64(key.data() + key.size() - id_size);
}

inline bool valid_entry(std::string_view value) {
  return !value.empty() && (value[0] == value_tag || value[0] == removed_tag);
}

} // namespace shoal::checkpoint_keys
