// Loading a graph file the way every command does: parse, read the model
// files, validate, and build every node's function once.
//
// Kept apart from the parser (graph_loader.hpp) and the validator so that
// those two can be used and tested without the function factory, which
// pulls in the models and Lua. Errors are those of the three steps, each
// naming the file, the node and the reason. Pure apart from reading files;
// safe to call from any thread.

#pragma once

#include <string>

#include "caf/expected.hpp"

#include "runtime/graph/graph_spec.hpp"

namespace shoal {

/// Parses (`parse_graph_file`), reads the model files (`read_model_files`),
/// validates (`validate_graph`) and builds the function of every feature and
/// model once (`make_fn`) to check it. On success the nodes are in
/// topological order and carry their model contents.
caf::expected<graph_spec> load_graph(const std::string& path);

} // namespace shoal
