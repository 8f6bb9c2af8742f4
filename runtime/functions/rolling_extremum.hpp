// The rolling min and max (rolling_min, rolling_max of SPEC section 4) by a
// monotonic deque of (key, value), the key being the timestamp (time
// windows) or the sample number (count windows). The returned `node_fn`
// owns its deque, which grows on demand (rolling_fns.hpp); like every
// `node_fn`, not thread-safe.

#pragma once

#include <cstdint>

#include "runtime/functions/node_fn.hpp"

namespace shoal {

/// Returns the rolling max (`is_max`) or min over the last `limit` samples,
/// or with `timed` over the samples with ts in `(t - limit, t]`.
/// Precondition: `limit >= 1`.
node_fn_ptr make_extremum_fn(bool is_max, bool timed, int64_t limit);

} // namespace shoal
