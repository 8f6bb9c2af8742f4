#include "runtime/csv_file_sink.hpp"

#include <cerrno>
#include <cstring>

#include "runtime/csv.hpp"
#include "runtime/errc.hpp"

namespace shoal {

namespace {

constexpr size_t flush_threshold = 1 << 20;

} // namespace

caf::expected<std::unique_ptr<csv_file_sink>>
csv_file_sink::open(const std::string& path) {
  auto* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr)
    return make_error(errc::io_error, path + ": cannot create output file: "
                                        + std::strerror(errno));
  std::unique_ptr<csv_file_sink> sink{new csv_file_sink(path, f)};
  sink->buf_.append(output_header);
  return sink;
}

csv_file_sink::csv_file_sink(std::string path, std::FILE* file)
  : path_(std::move(path)), file_(file) {
  buf_.reserve(flush_threshold + 256);
}

csv_file_sink::~csv_file_sink() {
  flush();
  std::fclose(file_);
}

void csv_file_sink::write(const std::string& node, point p) {
  append_output_row(buf_, node, p.ts, p.value);
  if (buf_.size() >= flush_threshold)
    flush();
}

caf::error csv_file_sink::flush() {
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

} // namespace shoal
