#include "runtime/io/line_pieces.hpp"

namespace shoal {

line_pieces::line_pieces(std::shared_ptr<byte_source> src, size_t max_bytes)
  : src_(std::move(src)), max_bytes_(max_bytes > 0 ? max_bytes : 1) {
  // nop
}

bool line_pieces::next(std::string& out, bool& last) {
  if (done_)
    return false;
  out = std::move(carry_);
  carry_.clear();
  auto have = out.size();
  out.resize(max_bytes_);
  while (have < max_bytes_ && !end_) {
    auto r = src_->read(out.data() + have, max_bytes_ - have);
    have += r.got;
    end_ = r.end;
  }
  out.resize(have);
  if (!end_) {
    // Whole lines only, unless one line fills the piece.
    auto nl = out.rfind('\n');
    if (nl != std::string::npos) {
      carry_.assign(out, nl + 1, std::string::npos);
      out.resize(nl + 1);
    }
  }
  last = end_ && carry_.empty();
  done_ = last;
  offset_ += out.size();
  return true;
}

} // namespace shoal
