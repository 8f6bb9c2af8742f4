// Reading a whole file that a graph names (an included graph file, a model,
// Lua code), safely: regular files only, and at most a size cap.
//
// A graph may come from anyone allowed to apply one, so its paths are not
// trusted: a fifo must not hang the reader, a device such as /dev/zero must
// not fill memory, a directory must not throw. `read_bounded_file` opens
// without blocking, checks the opened file itself (no race between a check
// and the open), and reads at most `cap` bytes. Errors are `errc::io_error`
// whose text says what the file is, never what it holds. Pure apart from
// reading the file; thread-safe.

#pragma once

#include <cstdint>
#include <string>

#include "caf/expected.hpp"

namespace shoal {

/// The cap on a file named by a graph (SPEC section 9: 64 MiB each).
constexpr uint64_t max_graph_file_bytes = uint64_t{64} << 20;

/// Reads the regular file at `path` whole, if it holds at most `cap` bytes.
/// Errors: "is a directory", "is not a regular file", "is larger than the
/// cap of N bytes", or the system's reason ("No such file or directory").
caf::expected<std::string>
read_bounded_file(const std::string& path, uint64_t cap = max_graph_file_bytes);

} // namespace shoal
