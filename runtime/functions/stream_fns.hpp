// Stream feature functions that look at the previous sample only: ewma, diff
// and rate (SPEC section 4).
//
// Each takes one input and fires at each of its outputs. `ewma` returns its
// first sample, then `alpha * x + (1 - alpha) * previous`; `diff` returns
// `x_t - x_prev` and `rate` returns `(x_t - x_prev) / ((t - t_prev) / 1e9)`
// (per second), both with no output (`fn_status::none`) at the first sample.
// The returned `node_fn` keeps a few scalars and allocates nothing after
// construction. Like every `node_fn`, not thread-safe.

#pragma once

#include "runtime/functions/node_fn.hpp"

namespace shoal {

/// Returns an `ewma` function. Precondition: `0 < alpha <= 1`.
node_fn_ptr make_ewma_fn(double alpha);

/// Returns a `diff` function.
node_fn_ptr make_diff_fn();

/// Returns a `rate` function.
node_fn_ptr make_rate_fn();

} // namespace shoal
