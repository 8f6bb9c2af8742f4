// Builds the functions of SPEC section 12 from a node's spec: clip, scale,
// deadband, rolling_quantile and the tumbling windows (zscore is a rolling
// function, built with them in fn_factory.cpp).
//
// Part of the function factory (fn_factory.hpp), which asks here first for
// these names. Parameters are checked as there: an error names the graph
// file, the node and the reason, e.g.
//   "plant.toml: node 'p1.q': rolling_quantile q must be in [0, 1], got 1.5".
// Pure functions of the spec; any thread may call them.

#pragma once

#include <optional>

#include "caf/expected.hpp"

#include "runtime/functions/node_fn.hpp"
#include "runtime/graph/graph_spec.hpp"

namespace shoal {

/// Builds the function of feature `spec` if its `fn` is one of SPEC section
/// 12's (other than zscore); nullopt for any other name.
std::optional<caf::expected<node_fn_ptr>> make_cleaning(const node_spec& spec);

} // namespace shoal
