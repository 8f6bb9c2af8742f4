#include "runtime/io/byte_source.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "runtime/core/errc.hpp"

namespace shoal {

byte_source::~byte_source() {
  // nop
}

std::string byte_source::why_failed() const {
  return {};
}

caf::expected<std::shared_ptr<file_bytes>>
file_bytes::open(const std::string& path) {
  auto f = std::fopen(path.c_str(), "rb");
  if (f == nullptr)
    return make_error(errc::io_error,
                      path + ": cannot open: " + std::strerror(errno));
  return std::shared_ptr<file_bytes>{new file_bytes(f)};
}

byte_read file_bytes::read(char* buf, size_t n) {
  auto got = std::fread(buf, 1, n, file_.get());
  // fread returns less than asked only at the end or on an error.
  return byte_read{got, got < n};
}

bool file_bytes::failed() const {
  return std::ferror(file_.get()) != 0;
}

void chunk_feed::push(std::string piece) {
  if (closed_ || piece.empty())
    return;
  buffered_ += piece.size();
  pieces_.push_back(std::move(piece));
}

byte_read chunk_feed::read(char* buf, size_t n) {
  size_t got = 0;
  while (got < n && !pieces_.empty()) {
    auto& front = pieces_.front();
    auto k = std::min(n - got, front.size() - pos_);
    std::memcpy(buf + got, front.data() + pos_, k);
    got += k;
    pos_ += k;
    if (pos_ == front.size()) {
      pieces_.pop_front();
      pos_ = 0;
    }
  }
  buffered_ -= got;
  return byte_read{got, closed_ && pieces_.empty() && got < n};
}

} // namespace shoal
