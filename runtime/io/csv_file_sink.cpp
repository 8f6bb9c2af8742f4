#include "runtime/io/csv_file_sink.hpp"

#include <cerrno>
#include <cstring>

#include "runtime/core/errc.hpp"
#include "runtime/io/csv.hpp"

namespace shoal {

namespace {

constexpr size_t flush_threshold = 1 << 20;

} // namespace

caf::expected<std::unique_ptr<buffered_file_sink>>
buffered_file_sink::open(const std::string& path, row_format format,
                         std::string header) {
  auto* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr)
    return make_error(errc::io_error, path + ": cannot create output file: "
                                        + std::strerror(errno));
  std::unique_ptr<buffered_file_sink> sink{
    new buffered_file_sink(path, f, format)};
  sink->buf_.append(header);
  return sink;
}

buffered_file_sink::buffered_file_sink(std::string path, std::FILE* file,
                                       row_format format)
  : path_(std::move(path)), file_(file), format_(format) {
  buf_.reserve(flush_threshold + 256);
}

buffered_file_sink::~buffered_file_sink() {
  flush();
  std::fclose(file_);
}

void buffered_file_sink::write(const std::string& node, point p) {
  format_(buf_, node, p.ts, p.value);
  if (buf_.size() >= flush_threshold)
    flush();
}

caf::error buffered_file_sink::flush() {
  if (!buf_.empty() && !failed_) {
    if (std::fwrite(buf_.data(), 1, buf_.size(), file_) != buf_.size())
      failed_ = true;
    buf_.clear();
  }
  if (!failed_ && std::fflush(file_) != 0)
    failed_ = true;
  if (failed_)
    return make_error(errc::io_error, path_ + ": cannot write output file: "
                                        + std::strerror(errno));
  return caf::none;
}

caf::expected<std::unique_ptr<buffered_file_sink>>
csv_file_sink::open(const std::string& path) {
  auto row
    = [](std::string& buf, const std::string& node, int64_t ts, double value) {
        append_output_row(buf, node, ts, value);
      };
  return buffered_file_sink::open(path, row, std::string{output_header});
}

} // namespace shoal
