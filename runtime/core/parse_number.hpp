// Parsing a whole command-line word as a number, locale-free.

#pragma once

#include <charconv>
#include <cstring>
#include <system_error>

namespace shoal {

/// Parses all of `text` as a `T`; false if it is not exactly one number.
template <class T>
bool parse_number(const char* text, T& out) {
  auto end = text + std::strlen(text);
  auto res = std::from_chars(text, end, out);
  return res.ec == std::errc{} && res.ptr == end;
}

} // namespace shoal
