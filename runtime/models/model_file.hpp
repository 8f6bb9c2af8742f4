// Where the bytes of a model node's file come from (SPEC section 9).
//
// A model node (xgboost, onnx) is built from `node_spec::content`, the bytes
// of its file as read where the graph was loaded: by `load_graph` on a
// member's own graph, by shoalctl for a graph it applies. A spec that
// arrived over the network without content is an error that names the
// node: its `path` is a name from elsewhere and is never opened here. Only a
// spec made in this process without content (a benchmark, a test) has its
// file read when it is built. Reads go through `read_bounded_file` (regular
// files only, at most 64 MiB). Pure apart from reading files; thread-safe.

#pragma once

#include "caf/error.hpp"
#include "caf/expected.hpp"

#include "runtime/graph/file_content.hpp"
#include "runtime/graph/graph_spec.hpp"

namespace shoal {

/// Whether `n` is a model whose function is built from a file (xgboost,
/// onnx).
bool names_model_file(const node_spec& n);

/// The bytes to build model node `n` from: its content; or, for a spec made
/// in this process without content, the file at `n.path` read now. The
/// error text is the reason, in the words of the model kind ("cannot read
/// file (...)" for xgboost, "cannot read file: ..." for onnx, "its content
/// did not come with the graph ..." for a remote spec).
caf::expected<file_content> model_content(const node_spec& n);

/// Reads the file of every model node of `g` that has no content yet into
/// its `content`, each distinct path once. Errors name the graph file, the
/// node and the reason, as building the node would:
/// "g.toml: node 'm': xgboost model /p/m.json: cannot read file (...)".
caf::error read_model_files(graph_spec& g);

} // namespace shoal
