// The device list of an `[[instances]]` table (SPEC section 11): a CSV file
// whose header names a template's parameters and whose rows are devices.
//
// The format: fields separated by commas, one row a line (LF or CRLF), an
// optional UTF-8 byte order mark; a field may be quoted with '"' (a quote
// inside written twice) and then holds commas and spaces as they are, but
// no line break; spaces and tabs around an unquoted field are dropped;
// blank lines are skipped. The header must name each parameter of the
// template once, in any order, and nothing else; every row must have as
// many fields as the header. Errors are `errc::invalid_graph` errors that
// name the file and the line: "<file> line <n>: <reason>".
//
// Pure; safe from any thread.

#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "caf/expected.hpp"

namespace shoal {

/// One device: its fields in the order of the template's parameters.
struct device_row {
  /// The line of the row in its file (1 is the header).
  size_t line = 0;
  std::vector<std::string> fields;
};

/// Parses `text`, the device list `file` (as shown in messages), for a
/// template with parameters `params`.
caf::expected<std::vector<device_row>>
parse_device_list(std::string_view text, const std::string& file,
                  const std::vector<std::string>& params);

} // namespace shoal
