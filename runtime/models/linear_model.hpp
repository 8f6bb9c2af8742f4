// The `linear` model kind (SPEC section 2): z = bias + sum(weights[i] * x[i]),
// then the link: identity (z) or logistic (1 / (1 + exp(-z))).
//
// The returned `node_fn` owns a copy of the weights and keeps no other state;
// the logistic link is evaluated without overflow for any finite z. Like every
// `node_fn`, not thread-safe (though calls do not mutate it).

#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "runtime/functions/node_fn.hpp"

namespace shoal {

enum class link_fn : uint8_t { identity, logistic };

/// Returns "identity" or "logistic".
const char* to_string(link_fn x);

/// Maps "identity" and "logistic" to the link; nullopt for anything else.
std::optional<link_fn> parse_link(std::string_view name);

/// Returns 1 / (1 + exp(-z)) without overflow or cancellation for large |z|.
double logistic(double z);

/// Returns a linear model over `weights.size()` inputs.
node_fn_ptr make_linear_model(std::vector<double> weights, double bias,
                              link_fn link);

} // namespace shoal
