#include "runtime/io/page_buffer.hpp"

#include <algorithm>

#include "runtime/core/errc.hpp"

namespace shoal {

page_buffer::page_buffer(page_limits limits) : limits_(limits) {
  // A page of no rows would never move a reader on.
  limits_.page_rows = std::max<size_t>(limits_.page_rows, 1);
}

uint32_t page_buffer::intern(const std::string& node) {
  auto [i, added] = index_.emplace(node, static_cast<uint32_t>(names_.size()));
  if (added)
    names_.push_back(node);
  return i->second;
}

void page_buffer::write(const std::string& node, point p) {
  write_points(node, &p, 1);
}

void page_buffer::write_points(const std::string& node, const point* ps,
                               size_t n) {
  if (n == 0)
    return;
  std::lock_guard<std::mutex> guard{mtx_};
  auto name = intern(node);
  for (size_t i = 0; i < n; ++i)
    rows_.push_back(held_row{name, ps[i]});
  peak_ = std::max(peak_, rows_.size());
}

caf::error page_buffer::flush() {
  return caf::none;
}

caf::expected<page_buffer::page> page_buffer::take(uint64_t next) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto last = first_ + rows_.size();
  if (next < first_)
    return make_error(errc::invalid_input,
                      "output " + std::to_string(next)
                        + " was fetched already; the next one held is "
                        + std::to_string(first_));
  if (next > last)
    return make_error(errc::invalid_input, "output " + std::to_string(next)
                                             + " does not exist yet; there are "
                                             + std::to_string(last));
  rows_.erase(rows_.begin(), rows_.begin() + (next - first_));
  first_ = next;
  page res;
  res.first = next;
  auto& out = res.rows;
  // The page's index of each name it uses.
  constexpr auto unused = UINT32_MAX;
  std::vector<uint32_t> in_page(names_.size(), unused);
  size_t bytes = 0;
  for (auto& r : rows_) {
    if (out.size() == limits_.page_rows)
      break;
    // What a row costs on the wire: a name index and a point, and its
    // node's name the first time the page names it.
    auto size = sizeof(uint32_t) + sizeof(point);
    auto& known = in_page[r.name];
    if (known == unused)
      size += names_[r.name].size() + sizeof(uint64_t);
    if (!out.empty() && bytes + size > limits_.page_bytes)
      break;
    bytes += size;
    if (known == unused) {
      known = static_cast<uint32_t>(out.names.size());
      out.names.push_back(names_[r.name]);
    }
    out.name_of.push_back(known);
    out.points.push_back(r.p);
  }
  return res;
}

uint64_t page_buffer::end() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return first_ + rows_.size();
}

size_t page_buffer::held() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return rows_.size();
}

size_t page_buffer::peak() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return peak_;
}

bool page_buffer::full() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return rows_.size() >= limits_.cap_rows;
}

} // namespace shoal
