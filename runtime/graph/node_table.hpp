// Parsing one node table of a graph file: a top-level `[[sensor]]`,
// `[[feature]]` or `[[model]]`, or one of a template's after its parameters
// were put in (graph_template.hpp).
//
// Defined in graph_loader.cpp beside the rules it applies (keys, types,
// paths relative to the graph file, Lua files read inline), so that a node
// written out and the same node expanded from a template are read by one
// piece of code and come out equal. Pure apart from reading Lua files
// through the given reader; safe from any thread.

#pragma once

#include <filesystem>
#include <string>
#include <toml++/toml.h>

#include "caf/error.hpp"

#include "runtime/graph/graph_loader.hpp"
#include "runtime/graph/graph_spec.hpp"

namespace shoal {

/// Reads `tbl` as a node of kind `kind` into `n`, declared in `file` (the
/// text that errors start with) whose directory is `dir` (for `path`).
/// Lua files are read with `read`.
caf::error parse_node_table(node_kind kind, const toml::table& tbl,
                            const std::string& file,
                            const std::filesystem::path& dir,
                            const graph_file_reader& read, node_spec& n);

/// Returns `p` absolute and lexically normalised, as node paths are kept.
std::filesystem::path absolute_normal(const std::filesystem::path& p);

} // namespace shoal
