// Parameter checks shared by the function factories (fn_factory.cpp,
// cleaning_factory.cpp): which parameters a function takes, and the checks
// of its input count and window.
//
// Each check returns an `errc::invalid_graph` error whose text names the
// graph file, the node and the reason (runtime/graph/graph_error.hpp), or
// `caf::none`. Pure functions; any thread may call them.

#pragma once

#include <string>

#include "caf/error.hpp"

#include "runtime/graph/graph_spec.hpp"

namespace shoal {

/// The parameters a function may take, as bits.
enum param : unsigned {
  p_window = 1,
  p_window_ns = 2,
  p_alpha = 4,
  p_weights = 8,
  p_bias = 16,
  p_link = 32,
  p_code = 64,
  p_path = 128,
  p_lo = 256,
  p_hi = 512,
  p_mul = 1024,
  p_add = 2048,
  p_band = 4096,
  p_q = 8192,
};

/// Renders a parameter value as users wrote it ("0.5", not "0.500000").
std::string show(double x);

/// Rejects every parameter that `spec` gives but `what` does not take (a
/// set of `param` bits). A parameter counts as given when it differs from
/// its default (for the parameters of SPEC section 12: when it is not NaN).
caf::error check_unused(const node_spec& spec, const std::string& what,
                        unsigned takes);

/// Rejects a function with other than one input.
caf::error check_one_input(const node_spec& spec);

/// Checks a function over a rolling window: one input, `window` or
/// `window_ns` (one of them, at least 1), and no parameter besides those and
/// `also`.
caf::error check_window(const node_spec& spec, unsigned also = 0);

} // namespace shoal
