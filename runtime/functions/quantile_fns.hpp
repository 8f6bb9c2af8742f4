// The rolling quantile: rolling_quantile (SPEC section 12).
//
// Takes one input and fires at each of its outputs; the window is the same
// as for rolling_mean (the last N samples, or those with ts in `(t - W, t]`,
// rolling_fns.hpp). The result is numpy's default (linear) quantile of the
// window: sorted `v`, `p = q * (n - 1)`, `v[floor p]` plus the fraction
// `p - floor p` of the step to `v[ceil p]`.
//
// The window's values are kept sorted in two multisets split at rank
// `floor p`: the lower one holds `v[0..floor p]`, so the result reads the
// largest of the lower and the smallest of the upper set. A sample costs
// O(log N) (an insertion, an eviction and a rebalance of one element, where
// a sort would cost O(N log N)). Set nodes are moved between the sets and
// reused for the next sample, so a count window in its steady state does not
// allocate. Like every `node_fn`, not thread-safe.

#pragma once

#include <cstdint>

#include "runtime/functions/node_fn.hpp"

namespace shoal {

/// Returns a rolling quantile over the last `n` samples. Preconditions:
/// `n >= 1`, `0 <= q <= 1`.
node_fn_ptr make_quantile_count_fn(double q, int64_t n);

/// Returns a rolling quantile over the samples with ts in `(t - span_ns, t]`.
/// Preconditions: `span_ns >= 1`, `0 <= q <= 1`.
node_fn_ptr make_quantile_time_fn(double q, int64_t span_ns);

} // namespace shoal
