#include "runtime/io/jsonl_file_sink.hpp"

#include <cerrno>
#include <cstring>

#include "runtime/errc.hpp"

namespace shoal {

namespace {

constexpr size_t flush_threshold = 1 << 20;

} // namespace

void append_jsonl_row(std::string& buf, const std::string& node, int64_t ts,
                      double value) {
  buf += "{\"node\":\"";
  // Node names are [A-Za-z0-9_.:-]; escape anyway so a line is always JSON.
  for (auto c : node) {
    if (c == '"' || c == '\\')
      buf += '\\';
    buf += c;
  }
  char num[80];
  auto n = std::snprintf(num, sizeof(num), "\",\"ts\":%lld,\"value\":%.17g}\n",
                         static_cast<long long>(ts), value);
  buf.append(num, static_cast<size_t>(n));
}

caf::expected<std::unique_ptr<jsonl_file_sink>>
jsonl_file_sink::open(const std::string& path) {
  auto* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr)
    return make_error(errc::io_error, path + ": cannot create output file: "
                                        + std::strerror(errno));
  return std::unique_ptr<jsonl_file_sink>{new jsonl_file_sink(path, f)};
}

jsonl_file_sink::jsonl_file_sink(std::string path, std::FILE* file)
  : path_(std::move(path)), file_(file) {
  buf_.reserve(flush_threshold + 256);
}

jsonl_file_sink::~jsonl_file_sink() {
  flush();
  std::fclose(file_);
}

void jsonl_file_sink::write(const std::string& node, point p) {
  append_jsonl_row(buf_, node, p.ts, p.value);
  if (buf_.size() >= flush_threshold)
    flush();
}

caf::error jsonl_file_sink::flush() {
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
