// Output sinks that write text files: the output CSV of SPEC section 6
// (`csv_file_sink`) and, through the same base, JSON lines
// (runtime/io/jsonl_file_sink.hpp).
//
// Rows are formatted into a buffer and written in large blocks; `flush`
// writes what is buffered and flushes the file (the sink actor flushes at end
// of stream and periodically). How an existing file is treated is the
// opener's choice (`file_mode`): a replay's `--out` is a fresh result file
// (truncated), a member's configured `[[sink]]` keeps what earlier runs wrote
// (appended to, docs/io.md). Owned and used by one sink actor.

#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "caf/expected.hpp"

#include "runtime/io/output_sink.hpp"

namespace shoal {

/// What opening a file sink does to a file that already exists.
enum class file_mode : uint8_t {
  /// Empties it: the file holds this run's rows only.
  truncate,
  /// Keeps its lines and writes after them. The header goes out only when
  /// the file is new or empty, and a non-empty file must begin with it; a
  /// last line without its newline (a crash mid-write) is ended first, so
  /// the next row starts a line of its own.
  append,
};

class buffered_file_sink : public output_sink {
public:
  /// Appends the text of one output to `buf`.
  using row_format = void (*)(std::string& buf, const std::string& node,
                              int64_t ts, double value);

  /// Opens `path` as `mode` says, creating it if missing, with `header` as
  /// its first line (including the newline; empty: none).
  static caf::expected<std::unique_ptr<buffered_file_sink>>
  open(const std::string& path, row_format format, file_mode mode,
       std::string header = {});

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
  open(const std::string& path, file_mode mode);
};

} // namespace shoal
