// The `xgboost` model kind as a node function (SPEC section 2).
//
// `make_xgboost_fn` gets the model compiled from the node's content (the
// bytes of its file, runtime/models/model_file.hpp) from the model cache it
// is given (the process's, `process_model_cache()`, in practice), so every
// node using the same model bytes shares one read-only `xgboost_model`; the
// function itself owns only a scratch row of float32 inputs, allocated once. A
// call converts the as-of inputs to float32 (as XGBoost does), evaluates the
// trees and allocates nothing. Like every `node_fn`, not thread-safe; the
// shared model is.

#pragma once

#include "caf/expected.hpp"

#include "runtime/functions/node_fn.hpp"
#include "runtime/graph/graph_spec.hpp"
#include "runtime/models/model_cache.hpp"

namespace shoal {

/// Builds the function of an `xgboost` model node. Fails, with an error
/// naming the node, the file and the reason, when `spec.path` is empty, its
/// content is missing (see `model_content`) or does not compile (see
/// `compile_xgboost_model`), or the model's feature
/// count differs from `spec.needs.size()`:
/// `node_error(spec, "xgboost model <path>: <reason>")`.
caf::expected<node_fn_ptr> make_xgboost_fn(const node_spec& spec,
                                           model_cache& models);

} // namespace shoal
