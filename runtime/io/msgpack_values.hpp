// Reading the scalar fields of Shoal's msgpack messages.
//
// Shared by the MQTT payload parser and the TCP frame decoder: a timestamp
// must be an integer that fits in an int64, a value any number (integer or
// float), a name a string. Each function returns false, leaving `out`
// alone, when the object has another type. Header-only; pure.

#pragma once

#include <cstdint>
#include <limits>
#include <msgpack.hpp>
#include <string>

namespace shoal {

/// Returns "nil", "a boolean", "an integer", "a float", "a string", ...
inline const char* msgpack_type_name(const msgpack::object& x) {
  switch (x.type) {
    case msgpack::type::NIL: return "nil";
    case msgpack::type::BOOLEAN: return "a boolean";
    case msgpack::type::POSITIVE_INTEGER:
    case msgpack::type::NEGATIVE_INTEGER: return "an integer";
    case msgpack::type::FLOAT32:
    case msgpack::type::FLOAT64: return "a float";
    case msgpack::type::STR: return "a string";
    case msgpack::type::BIN: return "binary data";
    case msgpack::type::ARRAY: return "an array";
    case msgpack::type::MAP: return "a map";
    case msgpack::type::EXT: return "an extension";
  }
  return "an unknown type";
}

inline bool msgpack_int64(const msgpack::object& x, int64_t& out) {
  if (x.type == msgpack::type::NEGATIVE_INTEGER) {
    out = x.via.i64;
    return true;
  }
  if (x.type == msgpack::type::POSITIVE_INTEGER
      && x.via.u64
           <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    out = static_cast<int64_t>(x.via.u64);
    return true;
  }
  return false;
}

inline bool msgpack_number(const msgpack::object& x, double& out) {
  switch (x.type) {
    case msgpack::type::POSITIVE_INTEGER:
      out = static_cast<double>(x.via.u64);
      return true;
    case msgpack::type::NEGATIVE_INTEGER:
      out = static_cast<double>(x.via.i64);
      return true;
    case msgpack::type::FLOAT32:
    case msgpack::type::FLOAT64: out = x.via.f64; return true;
    default: return false;
  }
}

inline bool msgpack_string(const msgpack::object& x, std::string& out) {
  if (x.type != msgpack::type::STR)
    return false;
  out.assign(x.via.str.ptr, x.via.str.size);
  return true;
}

} // namespace shoal
