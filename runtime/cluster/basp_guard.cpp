#include "runtime/cluster/basp_guard.hpp"

#include <algorithm>
#include <string_view>

namespace shoal {

namespace {

// BASP 0.17 header: operation (1 byte), two padding bytes, flags (1 byte),
// payload_len (4 bytes, network order), operation data and two actor ids.
constexpr size_t header_size = 32;
constexpr size_t payload_len_at = 4;
// Operations 0 (server handshake) to 6 (heartbeat).
constexpr unsigned char last_operation = 6;

bool is_handshake(unsigned char op) {
  return op <= 1;
}

/// Direct and routed messages carry a `caf::message`.
bool is_message(unsigned char op) {
  return op == 2 || op == 3;
}

/// CAF 0.17.6's types whose decoding throws on bad input (caf::variant).
constexpr std::string_view unsafe_types[]
  = {"@config_value", "@downstream_msg", "@upstream_msg"};

constexpr size_t longest_unsafe_type() {
  size_t n = 0;
  for (auto name : unsafe_types)
    n = name.size() > n ? name.size() : n;
  return n;
}

uint32_t payload_len(const std::array<unsigned char, 32>& header) {
  uint32_t len = 0;
  for (size_t i = 0; i < 4; ++i)
    len = (len << 8) | header[payload_len_at + i];
  return len;
}

} // namespace

basp_guard::basp_guard(uint32_t handshake_limit, uint32_t message_limit)
  : handshake_limit_(handshake_limit), message_limit_(message_limit) {
  // nop
}

std::string basp_guard::check_header() const {
  auto op = header_[0];
  auto len = payload_len(header_);
  if (op > last_operation)
    return "unknown protocol operation " + std::to_string(op);
  if (!handshaken_ && !is_handshake(op))
    return "protocol operation " + std::to_string(op) + " before the handshake";
  if (is_handshake(op) && len > handshake_limit_)
    return "handshake of " + std::to_string(len) + " bytes (at most "
           + std::to_string(handshake_limit_) + ")";
  if (len > message_limit_)
    return "message of " + std::to_string(len) + " bytes (at most "
           + std::to_string(message_limit_) + ")";
  return {};
}

namespace {

/// The first unsafe type name in `text`, or an empty view.
std::string_view unsafe_name_in(std::string_view text) {
  for (auto at = text.find('@'); at != std::string_view::npos;
       at = text.find('@', at + 1))
    for (auto name : unsafe_types)
      if (text.compare(at, name.size(), name) == 0)
        return name;
  return {};
}

} // namespace

std::string basp_guard::scan_payload(const char* data, size_t n) {
  static_assert(tail_keep + 1 >= longest_unsafe_type(),
                "the kept tail must hold all but the last byte of a name");
  std::string_view view{data, n};
  // A name split across reads starts in the kept tail.
  std::array<char, 2 * tail_keep> buf;
  auto head = std::min(n, tail_keep);
  std::copy(tail_.begin(), tail_.begin() + tail_size_, buf.begin());
  std::copy(data, data + head, buf.begin() + tail_size_);
  std::string_view edge{buf.data(), tail_size_ + head};
  auto name = unsafe_name_in(edge);
  if (name.empty())
    name = unsafe_name_in(view);
  if (!name.empty())
    return "message with type " + std::string{name.substr(1)}
           + ", which CAF 0.17 cannot decode safely";
  auto keep
    = n >= tail_keep
        ? view.substr(n - tail_keep)
        : edge.substr(edge.size() > tail_keep ? edge.size() - tail_keep : 0);
  std::copy(keep.begin(), keep.end(), tail_.begin());
  tail_size_ = keep.size();
  return {};
}

std::string basp_guard::feed(const char* data, size_t n) {
  while (n > 0 && refused_.empty()) {
    if (payload_left_ > 0) {
      auto k = static_cast<size_t>(
        std::min<uint64_t>(payload_left_, static_cast<uint64_t>(n)));
      if (in_message_) {
        refused_ = scan_payload(data, k);
        if (!refused_.empty())
          break;
      }
      payload_left_ -= k;
      data += k;
      n -= k;
      if (payload_left_ == 0 && in_handshake_)
        handshaken_ = true;
      continue;
    }
    auto k = std::min(header_size - header_fill_, n);
    std::copy(data, data + k, header_.begin() + header_fill_);
    header_fill_ += k;
    data += k;
    n -= k;
    if (header_fill_ < header_size)
      break;
    header_fill_ = 0;
    refused_ = check_header();
    if (!refused_.empty())
      break;
    auto len = payload_len(header_);
    in_handshake_ = is_handshake(header_[0]);
    in_message_ = is_message(header_[0]);
    tail_size_ = 0;
    payload_left_ = len;
    if (len == 0 && in_handshake_)
      handshaken_ = true;
  }
  return refused_;
}

} // namespace shoal
