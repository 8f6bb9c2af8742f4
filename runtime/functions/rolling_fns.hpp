// Rolling-window feature functions: rolling_mean, rolling_sum, rolling_min,
// rolling_max and rolling_std (SPEC section 4), and zscore (section 12), the
// newest sample's distance from the window's mean in units of its std.
//
// Each function takes one input and fires at each of its outputs; the window
// at a firing `t` holds the newest sample and either the last N samples
// (count window) or the samples with ts in `(t - W, t]` (time window). The
// returned `node_fn` owns its window: a ring that grows on demand up to N
// (count) or as far as the window needs (time), so no heap allocation happens
// once a window has reached its steady size. Sums and moments are kept in
// double-double arithmetic, shifted towards the data, with a bound on their
// rounding error; when the bound would exceed a small fraction of the
// tolerance of SPEC section 4, the function recomputes from the window. While
// the window holds a value above 2^200 (whose square or sum could overflow),
// each result comes from rolling_wide.hpp instead. Min and max keep a
// monotonic deque. Like every `node_fn`, not thread-safe.

#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "runtime/functions/node_fn.hpp"

namespace shoal {

/// The aggregate a rolling function computes over its window.
enum class rolling_op : uint8_t { mean, sum, min, max, std, zscore };

/// Returns "rolling_mean", "rolling_sum", ..., "zscore".
const char* to_string(rolling_op x);

/// Maps "rolling_mean", ..., "zscore" to its aggregate; nullopt for anything
/// else.
std::optional<rolling_op> parse_rolling_op(std::string_view fn);

/// Returns a function over the last `n` samples. Precondition: `n >= 1`.
node_fn_ptr make_rolling_count_fn(rolling_op op, int64_t n);

/// Returns a function over the samples with ts in `(t - span_ns, t]`.
/// Precondition: `span_ns >= 1`.
node_fn_ptr make_rolling_time_fn(rolling_op op, int64_t span_ns);

} // namespace shoal
