// Builds the `node_fn` of a feature or model node from its spec.
//
// The factory is the only place that maps `fn` / model kinds to code. It
// checks the parameters a function needs (window, alpha, weights, code, ...)
// and fails with an `errc::invalid_graph` error whose text names the graph
// file, the node and the reason, e.g.
//   "plant.toml: node 'p1.mean': rolling_mean needs window or window_ns".
// Model kinds built from files (xgboost, onnx) are built from the node's
// content, never by opening a path that came over the network
// (runtime/models/model_file.hpp), and share compiled models through the
// model cache of the `fn_context`, the process's cache unless a caller (a
// test, a deployment's options) hands in another; the cache must outlive the
// call.

#pragma once

#include "caf/expected.hpp"

#include "runtime/functions/node_fn.hpp"
#include "runtime/graph/graph_spec.hpp"
#include "runtime/models/model_cache.hpp"

namespace shoal {

/// What building a function may use besides its spec.
struct fn_context {
  /// Where model files are loaded once and shared.
  model_cache* models = &process_model_cache();
};

/// Builds the function of `spec` (a feature or a model).
caf::expected<node_fn_ptr> make_fn(const node_spec& spec,
                                   const fn_context& ctx = {});

} // namespace shoal
