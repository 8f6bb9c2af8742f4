#include "runtime/io/page_buffer.hpp"

#include <algorithm>

#include "runtime/core/errc.hpp"

namespace shoal {

page_buffer::page_buffer(page_limits limits) : limits_(limits) {
  // A page of no rows would never move a reader on.
  limits_.page_rows = std::max<size_t>(limits_.page_rows, 1);
}

void page_buffer::write(const std::string& node, point p) {
  std::lock_guard<std::mutex> guard{mtx_};
  rows_.push_back(output_row{node, p.ts, p.value});
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
  size_t bytes = 0;
  for (auto& r : rows_) {
    if (res.rows.size() == limits_.page_rows)
      break;
    // About what a row costs on the wire: its node name and two numbers.
    auto size = r.node.size() + 2 * sizeof(int64_t);
    if (!res.rows.empty() && bytes + size > limits_.page_bytes)
      break;
    bytes += size;
    res.rows.push_back(r);
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
