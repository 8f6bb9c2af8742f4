// A streaming JSON writer for large documents such as a 100,000-node
// `/status`, appending to a string without building a tree first.
//
// The caller is responsible for the structure (keys only inside objects,
// balanced begin/end); the writer places commas and colons and escapes
// strings. Bytes that are not valid UTF-8 become U+FFFD, and non-finite
// numbers become null, so the output is always valid JSON. Not thread-safe.

#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace shoal {

class json_writer {
public:
  explicit json_writer(std::string& out) : out_(out) {
    // nop
  }

  void begin_object();
  void end_object();
  void begin_array();
  void end_array();

  /// The key of the next value (inside an object).
  void key(std::string_view name);

  void str(std::string_view text);
  void u64(uint64_t x);
  void i64(int64_t x);
  /// Shortest of up to 15 significant digits; null when not finite.
  void num(double x);
  void boolean(bool x);
  void null();

private:
  /// Writes a comma unless this is the first element of its container or
  /// the value of a key.
  void next();

  std::string& out_;
  std::vector<bool> first_;
  bool after_key_ = false;
};

/// Appends `text` as a quoted JSON string.
void append_json_string(std::string& out, std::string_view text);

} // namespace shoal
