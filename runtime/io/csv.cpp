#include "runtime/io/csv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <system_error>

#include "runtime/core/errc.hpp"

namespace shoal {

namespace {

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

/// Header text shown in errors is cut here: a binary file has long "lines".

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view x) {
  while (!x.empty() && is_space(x.front()))
    x.remove_prefix(1);
  while (!x.empty() && is_space(x.back()))
    x.remove_suffix(1);
  return x;
}

std::string_view chop_cr(std::string_view x) {
  if (!x.empty() && x.back() == '\r')
    x.remove_suffix(1);
  return x;
}

/// Splits `line` at ',' into exactly `n` fields; false for another count.
bool split(std::string_view line, std::string_view* fields, size_t n) {
  size_t pos = 0;
  for (size_t i = 0; i + 1 < n; ++i) {
    auto comma = line.find(',', pos);
    if (comma == std::string_view::npos)
      return false;
    fields[i] = trim(line.substr(pos, comma - pos));
    pos = comma + 1;
  }
  auto last = line.substr(pos);
  if (last.find(',') != std::string_view::npos)
    return false;
  fields[n - 1] = trim(last);
  return true;
}

/// Drops one leading '+' (which `from_chars` does not accept), unless a sign
/// follows it.
bool drop_plus(std::string_view& x) {
  if (x.empty() || x.front() != '+')
    return true;
  x.remove_prefix(1);
  return x.empty() || (x.front() != '-' && x.front() != '+');
}

bool parse_int64(std::string_view x, int64_t& out) {
  if (x.empty() || !drop_plus(x))
    return false;
  auto [ptr, ec] = std::from_chars(x.data(), x.data() + x.size(), out);
  return ec == std::errc{} && ptr == x.data() + x.size();
}

bool parse_double(std::string_view x, double& out) {
  if (x.empty() || !drop_plus(x))
    return false;
  auto last = x.data() + x.size();
  auto [ptr, ec] = std::from_chars(x.data(), last, out);
  if (ptr != last)
    return false;
  if (ec == std::errc::result_out_of_range) {
    // Beyond the double range: read it as strtod does (+-inf or +-0). Tell
    // overflow from underflow by the sign of the exponent.
    auto e = x.find_first_of("eE");
    bool tiny
      = e != std::string_view::npos && e + 1 < x.size() && x[e + 1] == '-';
    double magnitude = tiny ? 0.0 : HUGE_VAL;
    out = x.front() == '-' ? -magnitude : magnitude;
    return true;
  }
  return ec == std::errc{};
}

} // namespace

// -- input rows -------------------------------------------------------------

caf::error check_input_header(std::string_view line, const std::string& file) {
  auto text = chop_cr(line);
  if (text.substr(0, utf8_bom.size()) == utf8_bom)
    text.remove_prefix(utf8_bom.size());
  std::string_view fields[3];
  if (split(text, fields, 3) && fields[0] == "sensor" && fields[1] == "ts"
      && fields[2] == "value")
    return {};
  // What is wrong, never what the line holds: the file may be one the caller
  // should not see (a remote `shoalctl replay /etc/shadow`).
  static constexpr std::string_view wanted[] = {"sensor", "ts", "value"};
  auto count = std::count(text.begin(), text.end(), ',') + 1;
  std::string why;
  if (count != 3) {
    why = "it has " + std::to_string(count) + " fields";
  } else {
    split(text, fields, 3);
    for (size_t i = 0; i < 3 && why.empty(); ++i)
      if (fields[i] != wanted[i])
        why = "field " + std::to_string(i + 1) + " is not '"
              + std::string{wanted[i]} + "'";
  }
  std::string msg = file;
  msg += ": line 1: expected header 'sensor,ts,value', but " + why
         + " (the line is not shown)";
  return make_error(errc::invalid_input, std::move(msg));
}

bool is_blank_line(std::string_view line) {
  for (auto c : line)
    if (!is_space(c) && c != '\r')
      return false;
  return true;
}

bool parse_sample_row(std::string_view line, sample_row& out) {
  std::string_view fields[3];
  if (!split(chop_cr(line), fields, 3) || fields[0].empty())
    return false;
  int64_t ts = 0;
  double value = 0;
  if (!parse_int64(fields[1], ts) || !parse_double(fields[2], value))
    return false;
  out.sensor = fields[0];
  out.ts = ts;
  out.value = value;
  return true;
}

// -- line_reader ------------------------------------------------------------

caf::expected<line_reader>
line_reader::open(const std::string& path, size_t block_size, size_t max_line) {
  auto f = file_bytes::open(path);
  if (!f)
    return std::move(f.error());
  return line_reader{std::move(*f), path, block_size, max_line};
}

line_reader::line_reader(std::shared_ptr<byte_source> src, std::string name,
                         size_t block_size, size_t max_line)
  : src_(std::move(src)), path_(std::move(name)),
    block_size_(block_size > 0 ? block_size : 1), max_line_(max_line) {
  buf_.resize(block_size_);
}

bool line_reader::next(std::string_view& line) {
  overlong_ = false;
  // The cut line's bytes stay in the buffer until now: its view was valid.
  if (skipping_ && !skip_rest())
    return false;
  for (;;) {
    auto from = buf_.data() + begin_ + scanned_;
    auto nl = static_cast<const char*>(
      std::memchr(from, '\n', end_ - begin_ - scanned_));
    if (nl != nullptr) {
      auto len = static_cast<size_t>(nl - (buf_.data() + begin_));
      if (len > max_line_)
        cut(line, len);
      else
        line = std::string_view{buf_.data() + begin_, len};
      begin_ += len + 1;
      scanned_ = 0;
      ++line_;
      return true;
    }
    scanned_ = end_ - begin_;
    if (scanned_ > max_line_) {
      // No '\n' yet and already too long: stop buffering this line.
      cut(line, scanned_);
      skipping_ = true;
      ++line_;
      return true;
    }
    if (!refill()) {
      // Pending: the line goes on in a piece yet to come.
      if (pending_ || begin_ == end_)
        return false;
      // The last line has no '\n'.
      line = std::string_view{buf_.data() + begin_, end_ - begin_};
      begin_ = end_;
      scanned_ = 0;
      ++line_;
      return true;
    }
  }
}

void line_reader::cut(std::string_view& line, size_t len) {
  line = std::string_view{buf_.data() + begin_, std::min(len, max_line_)};
  overlong_ = true;
}

bool line_reader::skip_rest() {
  // The `scanned_` bytes from `begin_` hold no '\n'.
  begin_ += scanned_;
  scanned_ = 0;
  for (;;) {
    auto nl = static_cast<const char*>(
      std::memchr(buf_.data() + begin_, '\n', end_ - begin_));
    if (nl != nullptr) {
      begin_ = static_cast<size_t>(nl - buf_.data()) + 1;
      skipping_ = false;
      return true;
    }
    begin_ = end_;
    if (!refill()) {
      // Still skipping when the rest is yet to come.
      skipping_ = pending_;
      return !pending_;
    }
  }
}

bool line_reader::refill() {
  pending_ = false;
  if (eof_)
    return false;
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buf_.size())
    buf_.resize(buf_.size() * 2);
  auto want = std::min(buf_.size() - end_, block_size_);
  auto r = src_->read(buf_.data() + end_, want);
  end_ += r.got;
  consumed_ += r.got;
  if (r.end) {
    eof_ = true;
    if (src_->failed()) {
      auto why = src_->why_failed();
      err_ = make_error(errc::io_error, path_ + ": read error after line "
                                          + std::to_string(line_)
                                          + (why.empty() ? "" : ": " + why));
    }
  } else if (r.got == 0) {
    pending_ = true;
  }
  return r.got > 0;
}

// -- sample_reader ----------------------------------------------------------

sample_reader sample_reader::resume(std::shared_ptr<byte_source> src,
                                    const std::string& name,
                                    const read_position& at, size_t block_size,
                                    size_t max_line) {
  line_reader lines{std::move(src), name, block_size, max_line};
  lines.resume_at(at);
  return sample_reader{std::move(lines)};
}

caf::expected<sample_reader> sample_reader::open(const std::string& path,
                                                 size_t block_size,
                                                 size_t max_line) {
  auto lines = line_reader::open(path, block_size, max_line);
  if (!lines)
    return std::move(lines.error());
  return start(std::move(*lines), path, max_line);
}

caf::expected<sample_reader>
sample_reader::open(std::shared_ptr<byte_source> src, const std::string& name,
                    size_t block_size, size_t max_line) {
  return start(line_reader{std::move(src), name, block_size, max_line}, name,
               max_line);
}

caf::expected<sample_reader> sample_reader::start(line_reader lines,
                                                  const std::string& name,
                                                  size_t max_line) {
  std::string_view header;
  if (!lines.next(header)) {
    if (lines.error())
      return lines.error();
    return make_error(errc::invalid_input,
                      name + ": line 1: expected header 'sensor,ts,value', got "
                        + (lines.pending() ? "no whole line in the first piece"
                                           : "an empty file"));
  }
  if (auto err = check_input_header(header, name))
    return err;
  if (lines.overlong())
    return make_error(errc::invalid_input,
                      name
                        + ": line 1: expected header 'sensor,ts,value', got "
                          "a line longer than "
                        + std::to_string(max_line) + " bytes");
  return sample_reader{std::move(lines)};
}

row_kind sample_reader::next(sample_row& out) {
  std::string_view line;
  while (lines_.next(line)) {
    if (lines_.overlong())
      return row_kind::malformed;
    if (is_blank_line(line))
      continue;
    return parse_sample_row(line, out) ? row_kind::sample : row_kind::malformed;
  }
  return lines_.pending() ? row_kind::pending : row_kind::end;
}

// -- output rows ------------------------------------------------------------

void append_output_row(std::string& buf, std::string_view node, int64_t ts,
                       double value) {
  // "%.17g" without printf's locale and format parsing: to_chars with the
  // general format and precision 17 is specified to produce the same text.
  char tmp[64];
  auto end = tmp + sizeof(tmp);
  auto p = std::to_chars(tmp, end, ts).ptr;
  *p++ = ',';
  p = std::to_chars(p, end, value, std::chars_format::general, 17).ptr;
  *p++ = '\n';
  buf.append(node);
  buf += ',';
  buf.append(tmp, p);
}

} // namespace shoal
