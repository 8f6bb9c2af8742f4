// Firing a derived node: its join's safe timestamps through its function.
//
// Shared by the node actor and the cell actor (which runs several nodes in
// one actor) so that both count and report exactly alike.

#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

#include "runtime/core/counters.hpp"
#include "runtime/core/metrics.hpp"
#include "runtime/functions/node_fn.hpp"
#include "runtime/semantics/join_core.hpp"

namespace shoal {

inline std::string non_finite_text(double x) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "non-finite output %g", x);
  return buf;
}

/// Fires every safe timestamp of `join` through `fn`: `emit(point)` gets
/// each finite output; firings, outputs and errors go to `counts` (the last
/// error's text too) and to `live` (the process metrics, in practice).
/// Outputs that `fn` has due (a tumbling window's end, node_fn.hpp) are
/// flushed in timestamp order between the firings, once the join's output
/// watermark reaches them; a flush is not a firing, but its output or error
/// counts.
template <class Emit>
void fire_ready(join_core& join, node_fn& fn, node_counts& counts,
                metrics& live, Emit&& emit) {
  uint64_t firings = 0;
  uint64_t outputs = 0;
  uint64_t errors = 0;
  std::string err;
  auto settle = [&](int64_t t, fn_status st, double out) {
    switch (st) {
      case fn_status::value:
        if (std::isfinite(out)) {
          ++outputs;
          emit(point{t, out});
        } else {
          ++errors;
          counts.last_error = non_finite_text(out);
        }
        break;
      case fn_status::none: break;
      case fn_status::error:
        ++errors;
        counts.last_error = err;
        break;
    }
  };
  // Flushes what is due at or before `t`.
  auto flush_to = [&](int64_t t) {
    for (auto d = fn.due(); d != wm_end && d <= t; d = fn.due()) {
      double out = 0;
      auto st = fn.flush(out, err);
      settle(d, st, out);
    }
  };
  join.drain([&](int64_t t, const double* args, size_t n) {
    flush_to(t - 1);
    ++firings;
    double out = 0;
    auto st = fn.call(t, args, n, out, err);
    settle(t, st, out);
  });
  flush_to(join.out_wm());
  if (firings + outputs + errors == 0)
    return;
  counts.firings += firings;
  counts.outputs += outputs;
  counts.errors += errors;
  live.add_firings(firings, outputs, errors);
}

} // namespace shoal
