#include "runtime/core/reject_log.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace shoal {

namespace {

bool same_entry(const reject_entry& x, std::string_view source,
                std::string_view text) {
  return x.source == source && x.text == text;
}

} // namespace

std::string escape_bytes(std::string_view bytes, size_t limit) {
  static constexpr std::string_view ellipsis = "...";
  std::string out;
  // Where to cut if all of it does not fit: after the last whole piece
  // that leaves room for the ellipsis.
  size_t cut = 0;
  for (auto ch : bytes) {
    auto c = static_cast<unsigned char>(ch);
    char piece[5];
    if (c == '\\')
      std::snprintf(piece, sizeof(piece), "\\\\");
    else if (c < 0x20 || c > 0x7e)
      std::snprintf(piece, sizeof(piece), "\\x%02x", c);
    else
      std::snprintf(piece, sizeof(piece), "%c", c);
    out += piece;
    if (out.size() > limit) {
      out.resize(cut);
      if (cut + ellipsis.size() <= limit)
        out += ellipsis;
      return out;
    }
    if (out.size() + ellipsis.size() <= limit)
      cut = out.size();
  }
  return out;
}

std::string rfc3339_ms(int64_t ns) {
  auto ms = ns / 1000000;
  auto secs = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&secs, &utc);
  char stamp[40];
  std::strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &utc);
  char out[64];
  std::snprintf(out, sizeof(out), "%s.%03dZ", stamp,
                static_cast<int>(ms % 1000));
  return out;
}

const reject_entry* reject_log::add(const reject_event& e) {
  auto text = escape_bytes(e.text, max_text);
  for (auto& x : reasons)
    if (same_entry(x, {}, text)) {
      x.count += e.count;
      return nullptr;
    }
  if (reasons.size() == max_reasons) {
    other_reasons += e.count;
    return nullptr;
  }
  reject_entry x;
  x.reason = to_string(e.reason);
  x.text = std::move(text);
  x.sensor = escape_bytes(e.sensor, max_example);
  x.origin = escape_bytes(e.origin, max_example);
  x.example = escape_bytes(e.example, max_example);
  x.first_ns = e.now_ns;
  x.count = e.count;
  reasons.push_back(std::move(x));
  return &reasons.back();
}

void reject_log::add_unknown(std::string_view name, uint64_t count) {
  auto shown = escape_bytes(name, max_example);
  for (auto& x : unknown)
    if (x.name == shown) {
      x.count += count;
      return;
    }
  if (unknown.size() == max_unknown) {
    other_unknown += count;
    return;
  }
  unknown.push_back(unknown_name{std::move(shown), count});
}

void reject_log::merge(const reject_log& other, std::string_view source) {
  for (auto& y : other.reasons) {
    std::string_view src = y.source.empty() ? source : y.source;
    auto i = std::find_if(reasons.begin(), reasons.end(),
                          [&](const reject_entry& x) {
                            return same_entry(x, src, y.text);
                          });
    if (i != reasons.end()) {
      i->count += y.count;
      i->first_ns = std::min(i->first_ns, y.first_ns);
    } else if (reasons.size() < max_reasons) {
      reasons.push_back(y);
      reasons.back().source = std::string{src};
    } else {
      other_reasons += y.count;
    }
  }
  other_reasons += other.other_reasons;
  for (auto& y : other.unknown) {
    auto i = std::find_if(unknown.begin(), unknown.end(),
                          [&](const unknown_name& x) {
                            return x.name == y.name;
                          });
    if (i != unknown.end())
      i->count += y.count;
    else if (unknown.size() < max_unknown)
      unknown.push_back(y);
    else
      other_unknown += y.count;
  }
  other_unknown += other.other_unknown;
}

} // namespace shoal
