// Output sinks that write text files: the output CSV of SPEC section 6
// (`csv_file_sink`) and, through the same base, JSON lines
// (runtime/io/jsonl_file_sink.hpp).
//
// Rows are formatted into a buffer and written in large blocks; `flush`
// writes what is buffered and flushes the file (the sink actor flushes at end
// of stream and periodically). The file is created (truncated) when the sink
// is opened. Owned and used by one sink actor.

#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "caf/expected.hpp"

#include "runtime/io/output_sink.hpp"

namespace shoal {

class buffered_file_sink : public output_sink {
public:
  /// Appends the text of one output to `buf`.
  using row_format = void (*)(std::string& buf, const std::string& node,
                              int64_t ts, double value);

  /// Creates `path` (truncating it) and writes `header` first.
  static caf::expected<std::unique_ptr<buffered_file_sink>>
  open(const std::string& path, row_format format, std::string header = {});

  ~buffered_file_sink() override;

  void write(const std::string& node, point p) override;

  caf::error flush() override;

private:
  buffered_file_sink(std::string path, std::FILE* file, row_format format);

  std::string path_;
  std::FILE* file_;
  row_format format_;
  std::string buf_;
  bool failed_ = false;
};

/// The output CSV: header `node,ts,value`, one row per output.
struct csv_file_sink {
  static caf::expected<std::unique_ptr<buffered_file_sink>>
  open(const std::string& path);
};

} // namespace shoal
