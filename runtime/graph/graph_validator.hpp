// Whole-graph checks (SPEC section 2) and the topological order of nodes.
//
// `validate_graph` checks, in this order, and returns the first failure as
// an `errc::invalid_graph` error naming the file and the node:
// 1. every name matches [A-Za-z0-9_.:-]{1,128} and is unique across the
//    whole graph (a duplicate names both files when they differ);
// 2. sensors have no `needs` and no `trigger`; features and models need at
//    least one input; every `needs` entry names a node of the graph (listing
//    the same input twice is allowed); every `trigger` entry is one of the
//    node's `needs`;
// 3. the dependencies form no cycle; the error names the cycle in the
//    direction data flows ("a -> b" means b needs a), starting at the node
//    of the cycle declared first, e.g. "dependency cycle: a -> b -> c -> a";
// 4. `check_fn` succeeds for every feature and model, called once each in
//    topological order; its first error is returned as is.
//
// On success `g.nodes` is in a stable topological order: each step places,
// among the nodes whose inputs are all placed, the one declared first. A
// graph already in topological order keeps its order. On failure `g` is left
// unchanged. Pure; safe to call from any thread on distinct graphs.

#pragma once

#include <functional>
#include <string_view>

#include "caf/error.hpp"

#include "runtime/graph/graph_spec.hpp"

namespace shoal {

/// Whether `name` is a valid node name: 1 to 128 characters of A-Z, a-z,
/// 0-9, '_', '.', ':' and '-'.
bool is_valid_node_name(std::string_view name);

/// Checks a whole graph and sorts `g.nodes` topologically (see above).
caf::error
validate_graph(graph_spec& g,
               const std::function<caf::error(const node_spec&)>& check_fn);

} // namespace shoal
