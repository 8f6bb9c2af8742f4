// An output_sink that writes one JSON object per line:
// {"node":"<name>","ts":<ts>,"value":<value>}, `value` printed as by
// "%.17g" (outputs are always finite, so every line is valid JSON).
//
// Rows are buffered and written in large blocks; `flush` writes what is
// buffered (the sink actor flushes at end of stream and periodically). The
// file is created (truncated) by `open`. Owned and used by one sink actor.

#pragma once

#include <cstdio>
#include <memory>
#include <string>

#include "caf/expected.hpp"

#include "runtime/output_sink.hpp"

namespace shoal {

class jsonl_file_sink : public output_sink {
public:
  /// Creates `path`.
  static caf::expected<std::unique_ptr<jsonl_file_sink>>
  open(const std::string& path);

  ~jsonl_file_sink() override;

  void write(const std::string& node, point p) override;

  caf::error flush() override;

private:
  jsonl_file_sink(std::string path, std::FILE* file);

  std::string path_;
  std::FILE* file_;
  std::string buf_;
  bool failed_ = false;
};

/// Appends the JSON line of one output to `buf`.
void append_jsonl_row(std::string& buf, const std::string& node, int64_t ts,
                      double value);

} // namespace shoal
