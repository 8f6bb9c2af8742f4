// An output_sink that writes the output CSV of SPEC section 6.
//
// Rows are buffered and written in large blocks; `flush` writes what is
// buffered. The file is created (truncated) by `open`. Owned and used by one
// sink actor.

#pragma once

#include <cstdio>
#include <memory>
#include <string>

#include "caf/expected.hpp"

#include "runtime/output_sink.hpp"

namespace shoal {

class csv_file_sink : public output_sink {
public:
  /// Creates `path` and writes the header.
  static caf::expected<std::unique_ptr<csv_file_sink>>
  open(const std::string& path);

  ~csv_file_sink() override;

  void write(const std::string& node, point p) override;

  caf::error flush() override;

private:
  csv_file_sink(std::string path, std::FILE* file);

  std::string path_;
  std::FILE* file_;
  std::string buf_;
  bool failed_ = false;
};

} // namespace shoal
