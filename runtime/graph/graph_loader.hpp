// Reading graph files (SPEC section 2) into a `graph_spec`.
//
// `parse_graph_file` reads one TOML file and, recursively, the files it
// includes (`parse_graph_text` starts from text already in memory, read
// from a file or the network, and reads its includes and Lua files through
// a `graph_file_reader` that a caller such as a fuzz test may replace), and
// checks every key's presence and TOML type; it does not check names, edges or
// cycles (that is `validate_graph`); `load_graph` (graph_load.hpp) does both
// and builds every node's function.
//
// Templates (SPEC section 11): a `[[template]]` declares no node itself;
// each `[[instance]]` and each row of the device list of an `[[instances]]`
// stands for the template's nodes with its values put in, read as if they
// were written out at that place (graph_template.hpp, template_expand.hpp,
// template_instances.hpp). A template may be used by any file of the graph.
//
// Order of the nodes returned by `parse_graph_file`:
// - a file's own nodes come first, in the order they appear in the file
//   (sensors, features and models interleaved as written, an instance's
//   nodes in the place of its table, a device list's row by row);
// - then the nodes of each of its includes, in the order of `include`, each
//   included file contributing its own nodes and then its includes (depth
//   first);
// - a file reached a second time through another include (a diamond)
//   contributes its nodes only once; reaching a file that is still being read
//   (an include cycle) is an error.
//
// Includes nest at most `max_include_depth` files deep (the top-level file
// counts); deeper is an error naming the including file. Every file read
// here (graph files, Lua files, device lists) is read with
// `read_bounded_file`: regular files only, at most 64 MiB each.
//
// Paths: `include` entries, a device list's `csv` and a node's `path` are
// relative to the file that names them (a template node's: the template's
// file). A node's `file` is the path of its graph file as the user would
// spell it (the top-level path as given, includes joined onto it and
// lexically normalised); a node's `path` is stored absolute and lexically
// normalised. For Lua nodes (`fn = "lua"` / `kind = "lua"`) given a `path` and
// no `code`, the file is read into `code` here; model files (xgboost, onnx)
// are left for the function factory.
//
// Errors are `errc::invalid_graph` errors whose text names the file and, when
// there is one, the node: "<file>: node '<name>': <reason>" (for a node of
// an instance, "<file>: template '<t>', <instance>: node '<name>': ..."), or
// "<file>:<line>:<column>: <description>" for TOML syntax errors. The
// functions are pure apart from reading files; safe to call from any thread.

#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "caf/expected.hpp"

#include "runtime/graph/graph_spec.hpp"

namespace shoal {

/// How deep includes may nest, the top-level file counted.
constexpr size_t max_include_depth = 64;

/// Reads a file that a graph names (an include, a Lua file or a device
/// list) whole.
using graph_file_reader
  = std::function<caf::expected<std::string>(const std::string& path)>;

/// The reader of `parse_graph_file`: "no such file" for a missing path, else
/// `read_bounded_file`.
caf::expected<std::string> read_graph_file(const std::string& path);

/// Parses the graph file at `path` and everything it includes into one
/// graph, without validation beyond keys and types.
caf::expected<graph_spec> parse_graph_file(const std::string& path);

/// Parses `text` as the contents of the graph file `path`: the same result
/// and errors as `parse_graph_file` on a file holding `text`, with every
/// include, Lua file and device list read through `read`.
caf::expected<graph_spec>
parse_graph_text(std::string_view text, const std::string& path,
                 const graph_file_reader& read = read_graph_file);

} // namespace shoal
