// Reading graph files (SPEC section 2) into a `graph_spec`.
//
// `parse_graph_file` reads one TOML file and, recursively, the files it
// includes, and checks every key's presence and TOML type; it does not check
// names, edges or cycles (that is `validate_graph`); `load_graph`
// (graph_load.hpp) does both and builds every node's function.
//
// Order of the nodes returned by `parse_graph_file`:
// - a file's own nodes come first, in the order they appear in the file
//   (sensors, features and models interleaved as written);
// - then the nodes of each of its includes, in the order of `include`, each
//   included file contributing its own nodes and then its includes (depth
//   first);
// - a file reached a second time through another include (a diamond)
//   contributes its nodes only once; reaching a file that is still being read
//   (an include cycle) is an error.
//
// Includes nest at most `max_include_depth` files deep (the top-level file
// counts); deeper is an error naming the including file. Every file read
// here (graph files, Lua files) is read with `read_bounded_file`: regular
// files only, at most 64 MiB each.
//
// Paths: `include` entries and a node's `path` are relative to the file that
// names them. A node's `file` is the path of its graph file as the user would
// spell it (the top-level path as given, includes joined onto it and
// lexically normalised); a node's `path` is stored absolute and lexically
// normalised. For Lua nodes (`fn = "lua"` / `kind = "lua"`) given a `path` and
// no `code`, the file is read into `code` here; model files (xgboost, onnx)
// are left for the function factory.
//
// Errors are `errc::invalid_graph` errors whose text names the file and, when
// there is one, the node: "<file>: node '<name>': <reason>", or
// "<file>:<line>:<column>: <description>" for TOML syntax errors. The
// functions are pure apart from reading files; safe to call from any thread.

#pragma once

#include <cstddef>
#include <string>

#include "caf/expected.hpp"

#include "runtime/graph/graph_spec.hpp"

namespace shoal {

/// How deep includes may nest, the top-level file counted.
constexpr size_t max_include_depth = 64;

/// Parses the graph file at `path` and everything it includes into one
/// graph, without validation beyond keys and types.
caf::expected<graph_spec> parse_graph_file(const std::string& path);

} // namespace shoal
