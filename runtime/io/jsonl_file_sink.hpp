// An output sink that writes one JSON object per line:
// {"node":"<name>","ts":<ts>,"value":<value>}, `value` printed as by
// "%.17g" (outputs are always finite, so every line is valid JSON). Buffered
// and flushed like the CSV file sink (runtime/io/csv_file_sink.hpp).

#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "caf/expected.hpp"

#include "runtime/io/csv_file_sink.hpp"

namespace shoal {

struct jsonl_file_sink {
  /// Opens `path` as `mode` says (no header: appending only ends a partial
  /// last line).
  static caf::expected<std::unique_ptr<buffered_file_sink>>
  open(const std::string& path, file_mode mode);
};

/// Appends the JSON line of one output to `buf`.
void append_jsonl_row(std::string& buf, const std::string& node, int64_t ts,
                      double value);

} // namespace shoal
