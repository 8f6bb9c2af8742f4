// Cleaning functions that map each sample on its own: clip, scale and
// deadband (SPEC section 12).
//
// Each takes one input and fires at each of its outputs. `clip` returns
// `min(max(x, lo), hi)` (either bound may be absent), `scale` returns
// `x * mul + add`, and `deadband` returns `x` at the first sample and
// whenever `|x - y| > band`, `y` being its own last output, and otherwise
// nothing (`fn_status::none`). The returned `node_fn` keeps a few scalars
// and allocates nothing after construction. Like every `node_fn`, not
// thread-safe.

#pragma once

#include "runtime/functions/node_fn.hpp"

namespace shoal {

/// Returns a `clip` function; a NaN bound means "no bound on that side".
node_fn_ptr make_clip_fn(double lo, double hi);

/// Returns a `scale` function.
node_fn_ptr make_scale_fn(double mul, double add);

/// Returns a `deadband` function. Precondition: `band >= 0`.
node_fn_ptr make_deadband_fn(double band);

} // namespace shoal
