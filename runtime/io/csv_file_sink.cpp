#include "runtime/io/csv_file_sink.hpp"

#include <cerrno>
#include <cstring>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/core/errc.hpp"
#include "runtime/io/csv.hpp"

namespace shoal {

namespace {

constexpr size_t flush_threshold = 1 << 20;

/// What goes before the first row appended to the open file `f`: the
/// header for a new or empty file, a newline that ends a partial last line,
/// or nothing. An error if a non-empty file does not begin with `header`:
/// rows under a foreign header would be read as that file's columns.
caf::expected<std::string> append_lead(std::FILE* f, const std::string& path,
                                       const std::string& header) {
  // A pipe or a device (/dev/stdout) has no old lines to look at, and
  // reading it could block: treat it as new.
  struct stat st;
  if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0)
    return header;
  auto io_failed = [&] {
    return make_error(errc::io_error, path + ": cannot read output file: "
                                        + std::strerror(errno));
  };
  if (!header.empty()) {
    // Enough of the file to show its first line in the error.
    std::string first(header.size() + 80, '\0');
    if (std::fseek(f, 0, SEEK_SET) != 0)
      return io_failed();
    first.resize(std::fread(first.data(), 1, first.size(), f));
    // A file that is just the header without its newline is ours too.
    auto line = std::string_view{header}.substr(0, header.size() - 1);
    if (first.compare(0, header.size(), header) != 0 && first != line) {
      auto shown = first.substr(0, first.find('\n'));
      return make_error(errc::io_error,
                        path + ": cannot append: the file exists and its "
                          + "first line is '" + shown + "', not the header '"
                          + std::string{line}
                          + "' (move the file away, or set truncate = true "
                            "to empty it)");
    }
  }
  if (std::fseek(f, -1, SEEK_END) != 0)
    return io_failed();
  auto last = std::fgetc(f);
  if (last == EOF)
    return io_failed();
  // The C library needs a seek between a read and a write on one stream.
  if (std::fseek(f, 0, SEEK_END) != 0)
    return io_failed();
  return std::string{last == '\n' ? "" : "\n"};
}

} // namespace

caf::expected<std::unique_ptr<buffered_file_sink>>
buffered_file_sink::open(const std::string& path, row_format format,
                         file_mode mode, std::string header) {
  // "a+": reads see the old lines, every write goes to the end.
  // The standard output is written where it points, never opened again:
  // that would truncate a file the shell appends it to.
  auto* f
    = path == "/dev/stdout" && mode == file_mode::truncate
        ? fdopen(dup(STDOUT_FILENO), "wb")
        : std::fopen(path.c_str(), mode == file_mode::append ? "a+b" : "wb");
  if (f == nullptr)
    return make_error(errc::io_error, path + ": cannot create output file: "
                                        + std::strerror(errno));
  std::unique_ptr<buffered_file_sink> sink{
    new buffered_file_sink(path, f, format)};
  if (mode == file_mode::truncate) {
    sink->buf_.append(header);
    return sink;
  }
  auto lead = append_lead(f, path, header);
  if (!lead)
    return std::move(lead.error());
  sink->buf_.append(*lead);
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
csv_file_sink::open(const std::string& path, file_mode mode) {
  auto row
    = [](std::string& buf, const std::string& node, int64_t ts, double value) {
        append_output_row(buf, node, ts, value);
      };
  return buffered_file_sink::open(path, row, mode, std::string{output_header});
}

} // namespace shoal
