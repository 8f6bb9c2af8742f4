// The `onnx` model kind (SPEC section 2): a node function that evaluates an
// ONNX model on the node's inputs.
//
// `make_onnx_fn` compiles the model from the node's content (the bytes of
// its file, runtime/models/model_file.hpp) through the model cache it is
// given (the process's, in practice), so every node that uses the same
// model bytes shares one read-only compiled model; each node function adds
// only its scratch arena, allocated once. A call converts the inputs to
// float32, runs the plan and returns the prediction as a double; it never
// allocates. Like every `node_fn`, not thread-safe; the shared model is.

#pragma once

#include "caf/expected.hpp"

#include "runtime/functions/node_fn.hpp"
#include "runtime/graph/graph_spec.hpp"
#include "runtime/models/model_cache.hpp"

namespace shoal {

/// Builds the function of an `onnx` model node. Errors name the graph file,
/// the node and the model: "g.toml: node 'm': onnx model /p/m.onnx: expects 4
/// inputs but the node has 3".
caf::expected<node_fn_ptr> make_onnx_fn(const node_spec& spec,
                                        model_cache& models);

} // namespace shoal
