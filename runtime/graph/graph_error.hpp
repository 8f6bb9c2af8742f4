// Uniform wording of graph errors: "<file>: node '<name>': <reason>".

#pragma once

#include <string>

#include "caf/error.hpp"

#include "runtime/graph/graph_spec.hpp"

namespace shoal {

/// Returns an `errc::invalid_graph` error about node `n`.
caf::error node_error(const node_spec& n, const std::string& reason);

/// Returns an `errc::invalid_graph` error about graph file `file`.
caf::error file_error(const std::string& file, const std::string& reason);

} // namespace shoal
