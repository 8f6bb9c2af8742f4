#include "runtime/io/influx_bytes.hpp"

#include <algorithm>
#include <cstring>

#include "runtime/core/errc.hpp"
#include "runtime/io/csv.hpp"

namespace shoal {

caf::expected<std::shared_ptr<influx_bytes>>
influx_bytes::open(const std::string& text, influx_pages::options opts) {
  auto url = parse_influx_url(text);
  if (!url)
    return url.error();
  std::shared_ptr<influx_bytes> result{
    new influx_bytes(influx_pages{std::move(*url), opts})};
  // The header is ready; the first page goes behind it.
  auto header = std::move(result->text_);
  if (!result->fill() && result->failed())
    return make_error(errc::io_error, result->why_);
  result->text_.insert(0, header);
  return result;
}

influx_bytes::influx_bytes(influx_pages pages)
  : pages_(std::move(pages)), text_("sensor,ts,value\n") {
  // nop
}

void influx_bytes::append_row(std::string& out, const influx_point& p) {
  std::string name = p.sensor.empty() ? "?" : p.sensor;
  for (auto& c : name) {
    auto u = static_cast<unsigned char>(c);
    if (u <= ' ' || u == 0x7F || c == ',' || c == '"')
      c = '?';
  }
  if (p.usable) {
    append_output_row(out, name, p.ts, p.value);
  } else {
    out += name;
    out += ',';
    out += std::to_string(p.ts);
    out += ",\n";
  }
}

caf::expected<std::shared_ptr<byte_source>>
open_replay_bytes(const std::string& in) {
  if (is_influx_url(in)) {
    auto src = influx_bytes::open(in);
    if (!src)
      return src.error();
    return std::shared_ptr<byte_source>{std::move(*src)};
  }
  auto src = file_bytes::open(in);
  if (!src)
    return src.error();
  return std::shared_ptr<byte_source>{std::move(*src)};
}

bool influx_bytes::fill() {
  text_.clear();
  pos_ = 0;
  if (end_ || failed())
    return false;
  if (auto err = pages_.next(page_)) {
    why_ = describe(err);
    return false;
  }
  if (page_.empty()) {
    end_ = true;
    return false;
  }
  for (auto& p : page_)
    append_row(text_, p);
  return true;
}

byte_read influx_bytes::read(char* buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    if (pos_ == text_.size() && !fill())
      return byte_read{got, true};
    auto k = std::min(n - got, text_.size() - pos_);
    std::memcpy(buf + got, text_.data() + pos_, k);
    got += k;
    pos_ += k;
  }
  return byte_read{got, false};
}

} // namespace shoal
