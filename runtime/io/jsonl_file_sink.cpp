#include "runtime/io/jsonl_file_sink.hpp"

#include <cstdio>

namespace shoal {

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

caf::expected<std::unique_ptr<buffered_file_sink>>
jsonl_file_sink::open(const std::string& path, file_mode mode) {
  return buffered_file_sink::open(path, append_jsonl_row, mode);
}

} // namespace shoal
