#include "runtime/functions/cleaning_factory.hpp"

#include <cmath>
#include <string>

#include "runtime/functions/clean_fns.hpp"
#include "runtime/functions/fn_params.hpp"
#include "runtime/functions/quantile_fns.hpp"
#include "runtime/functions/tumbling_fns.hpp"
#include "runtime/graph/graph_error.hpp"

namespace shoal {

namespace {

/// Rejects a given parameter that is not a finite number (inf in the file).
caf::error check_finite(const node_spec& spec, const char* key, double x) {
  if (std::isnan(x) || std::isfinite(x))
    return caf::none;
  return node_error(spec, spec.fn + " " + key + " must be a finite number, got "
                            + show(x));
}

caf::expected<node_fn_ptr> make_clip(const node_spec& spec) {
  if (auto err = check_one_input(spec))
    return err;
  if (auto err = check_unused(spec, spec.fn, p_lo | p_hi))
    return err;
  if (std::isnan(spec.lo) && std::isnan(spec.hi))
    return node_error(spec, "clip needs lo, hi or both");
  if (auto err = check_finite(spec, "lo", spec.lo))
    return err;
  if (auto err = check_finite(spec, "hi", spec.hi))
    return err;
  if (spec.lo > spec.hi)
    return node_error(spec, "clip lo must not exceed hi, got lo = "
                              + show(spec.lo) + ", hi = " + show(spec.hi));
  return make_clip_fn(spec.lo, spec.hi);
}

caf::expected<node_fn_ptr> make_scale(const node_spec& spec) {
  if (auto err = check_one_input(spec))
    return err;
  if (auto err = check_unused(spec, spec.fn, p_mul | p_add))
    return err;
  if (auto err = check_finite(spec, "mul", spec.mul))
    return err;
  if (auto err = check_finite(spec, "add", spec.add))
    return err;
  return make_scale_fn(std::isnan(spec.mul) ? 1.0 : spec.mul,
                       std::isnan(spec.add) ? 0.0 : spec.add);
}

caf::expected<node_fn_ptr> make_deadband(const node_spec& spec) {
  if (auto err = check_one_input(spec))
    return err;
  if (auto err = check_unused(spec, spec.fn, p_band))
    return err;
  if (std::isnan(spec.band))
    return node_error(spec, "deadband needs band >= 0");
  if (!(spec.band >= 0 && std::isfinite(spec.band)))
    return node_error(spec, "deadband band must be a finite number >= 0, got "
                              + show(spec.band));
  return make_deadband_fn(spec.band);
}

caf::expected<node_fn_ptr> make_quantile(const node_spec& spec) {
  if (auto err = check_window(spec, p_q))
    return err;
  if (std::isnan(spec.q))
    return node_error(spec, "rolling_quantile needs q in [0, 1]");
  if (!(spec.q >= 0 && spec.q <= 1))
    return node_error(spec, "rolling_quantile q must be in [0, 1], got "
                              + show(spec.q));
  if (spec.window > 0)
    return make_quantile_count_fn(spec.q, spec.window);
  return make_quantile_time_fn(spec.q, spec.window_ns);
}

caf::expected<node_fn_ptr> make_tumbling(const node_spec& spec,
                                         tumbling_op op) {
  if (auto err = check_one_input(spec))
    return err;
  if (auto err = check_unused(spec, spec.fn, p_window_ns))
    return err;
  if (spec.window_ns == 0)
    return node_error(spec, spec.fn + " needs window_ns");
  if (spec.window_ns < 0)
    return node_error(spec, "window_ns must be at least 1, got "
                              + std::to_string(spec.window_ns));
  return make_tumbling_fn(op, spec.window_ns);
}

} // namespace

std::optional<caf::expected<node_fn_ptr>> make_cleaning(const node_spec& spec) {
  if (spec.fn == "clip")
    return make_clip(spec);
  if (spec.fn == "scale")
    return make_scale(spec);
  if (spec.fn == "deadband")
    return make_deadband(spec);
  if (spec.fn == "rolling_quantile")
    return make_quantile(spec);
  if (auto op = parse_tumbling_op(spec.fn))
    return make_tumbling(spec, *op);
  return std::nullopt;
}

} // namespace shoal
