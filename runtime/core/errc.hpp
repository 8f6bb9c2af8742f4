// Error codes of Shoal and their rendering.
//
// Every fallible function of ours returns `caf::expected<T>` or `caf::error`;
// the context of an error is one human-readable string that names what was
// wrong and where (file, line, node). `describe` renders it for users.

#pragma once

#include <cstdint>
#include <string>

#include "caf/error.hpp"
#include "caf/make_message.hpp"

namespace shoal {

enum class errc : uint8_t {
  /// A graph file or graph change is invalid.
  invalid_graph = 1,
  /// An input file or payload is invalid (for example a wrong CSV header).
  invalid_input,
  /// A file could not be read or written.
  io_error,
  /// User code failed to compile or run.
  user_code,
  /// A request named something the runtime does not know.
  not_found,
  /// A command-line or configuration value is invalid.
  invalid_config,
};

/// Returns the name of `x`.
std::string to_string(errc x);

/// Builds an error of code `code` whose context is `text`.
caf::error make_error(errc code, std::string text);

/// Renders `err` for people: the context text if there is one, else the code.
std::string describe(const caf::error& err);

} // namespace shoal
