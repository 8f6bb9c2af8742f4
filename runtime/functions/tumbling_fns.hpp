// Tumbling-window functions: tumbling_mean, tumbling_sum, tumbling_min,
// tumbling_max, tumbling_count and tumbling_last (SPEC section 12).
//
// Each takes one input. Windows are epoch-aligned: a sample at `ts` falls in
// window `k = floor(ts / W)`, which covers `[kW, (k+1)W)` (negative
// timestamps included). A call adds its sample to the open window and
// returns nothing; the window's result comes out of `flush()` at the window's
// last nanosecond `(k+1)W - 1`, which `due()` announces as long as the window
// is open (node_fn.hpp says who calls it when). Empty windows produce
// nothing. Sums are kept in double-double arithmetic, values beyond 2^200
// apart and scaled (as in rolling_wide.hpp), so a mean of values near the
// largest double is still right. A window holds a few scalars: no
// allocation after construction. Like every `node_fn`, not thread-safe.

#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "runtime/functions/node_fn.hpp"

namespace shoal {

/// What a tumbling window computes.
enum class tumbling_op : uint8_t { mean, sum, min, max, count, last };

/// Returns "tumbling_mean", "tumbling_sum", ...
const char* to_string(tumbling_op x);

/// Maps "tumbling_mean", ... to its aggregate; nullopt for anything else.
std::optional<tumbling_op> parse_tumbling_op(std::string_view fn);

/// The window `floor(ts / width)`. Precondition: `width >= 1`.
int64_t tumbling_window(int64_t ts, int64_t width);

/// The last nanosecond of window `k`, `(k+1) * width - 1`, or the largest
/// valid timestamp (`wm_end - 1`) for the window that reaches past it.
int64_t tumbling_end(int64_t k, int64_t width);

/// Returns a tumbling window function. Precondition: `width_ns >= 1`.
node_fn_ptr make_tumbling_fn(tumbling_op op, int64_t width_ns);

} // namespace shoal
