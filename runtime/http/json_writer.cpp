#include "runtime/http/json_writer.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace shoal {

namespace {

/// The length of the valid UTF-8 sequence at `i`, or 0 if it is not one
/// (overlong forms, surrogates and code points past U+10FFFF are invalid).
size_t utf8_length(std::string_view s, size_t i) {
  auto byte = [&](size_t k) {
    return static_cast<unsigned char>(s[k]);
  };
  auto cont = [&](size_t k, unsigned lo = 0x80, unsigned hi = 0xBF) {
    return k < s.size() && byte(k) >= lo && byte(k) <= hi;
  };
  auto c = byte(i);
  if (c >= 0xC2 && c <= 0xDF)
    return cont(i + 1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    auto lo = c == 0xE0 ? 0xA0u : 0x80u;
    auto hi = c == 0xED ? 0x9Fu : 0xBFu;
    return cont(i + 1, lo, hi) && cont(i + 2) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    auto lo = c == 0xF0 ? 0x90u : 0x80u;
    auto hi = c == 0xF4 ? 0x8Fu : 0xBFu;
    return cont(i + 1, lo, hi) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  }
  return 0;
}

} // namespace

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      auto n = utf8_length(text, i);
      if (n == 0) {
        out += "\\ufffd";
        ++i;
      } else {
        out.append(text.data() + i, n);
        i += n;
      }
      continue;
    }
    ++i;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 0xF];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void json_writer::next() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back())
      out_ += ',';
    first_.back() = false;
  }
}

void json_writer::begin_object() {
  next();
  out_ += '{';
  first_.push_back(true);
}

void json_writer::end_object() {
  first_.pop_back();
  out_ += '}';
}

void json_writer::begin_array() {
  next();
  out_ += '[';
  first_.push_back(true);
}

void json_writer::end_array() {
  first_.pop_back();
  out_ += ']';
}

void json_writer::key(std::string_view name) {
  next();
  append_json_string(out_, name);
  out_ += ':';
  after_key_ = true;
}

void json_writer::str(std::string_view text) {
  next();
  append_json_string(out_, text);
}

void json_writer::u64(uint64_t x) {
  next();
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof(buf), x);
  out_.append(buf, res.ptr);
}

void json_writer::i64(int64_t x) {
  next();
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof(buf), x);
  out_.append(buf, res.ptr);
}

void json_writer::num(double x) {
  if (!std::isfinite(x)) {
    null();
    return;
  }
  next();
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.15g", x);
  out_ += buf;
}

void json_writer::boolean(bool x) {
  next();
  out_ += x ? "true" : "false";
}

void json_writer::null() {
  next();
  out_ += "null";
}

} // namespace shoal
