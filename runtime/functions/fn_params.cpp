#include "runtime/functions/fn_params.hpp"

#include <cmath>
#include <cstdio>

#include "runtime/graph/graph_error.hpp"

namespace shoal {

std::string show(double x) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", x);
  return buf;
}

caf::error check_unused(const node_spec& spec, const std::string& what,
                        unsigned takes) {
  struct given {
    param p;
    const char* key;
    bool set;
  };
  const given all[] = {
    {p_window, "window", spec.window != 0},
    {p_window_ns, "window_ns", spec.window_ns != 0},
    {p_alpha, "alpha", spec.alpha != 0},
    {p_weights, "weights", !spec.weights.empty()},
    {p_bias, "bias", spec.bias != 0},
    {p_link, "link", spec.link != "identity"},
    {p_code, "code", !spec.code.empty()},
    {p_path, "path", !spec.path.empty() || !spec.content.empty()},
    {p_lo, "lo", !std::isnan(spec.lo)},
    {p_hi, "hi", !std::isnan(spec.hi)},
    {p_mul, "mul", !std::isnan(spec.mul)},
    {p_add, "add", !std::isnan(spec.add)},
    {p_band, "band", !std::isnan(spec.band)},
    {p_q, "q", !std::isnan(spec.q)},
  };
  for (const auto& x : all)
    if (x.set && (takes & x.p) == 0)
      return node_error(spec, what + " does not take '" + x.key + "'");
  return caf::none;
}

caf::error check_one_input(const node_spec& spec) {
  if (spec.needs.size() == 1)
    return caf::none;
  return node_error(spec, spec.fn + " takes one input, got "
                            + std::to_string(spec.needs.size()));
}

caf::error check_window(const node_spec& spec, unsigned also) {
  if (auto err = check_one_input(spec))
    return err;
  if (auto err = check_unused(spec, spec.fn, p_window | p_window_ns | also))
    return err;
  if (spec.window != 0 && spec.window_ns != 0)
    return node_error(spec, spec.fn + " takes window or window_ns, not both");
  if (spec.window < 0)
    return node_error(spec, "window must be at least 1, got "
                              + std::to_string(spec.window));
  if (spec.window_ns < 0)
    return node_error(spec, "window_ns must be at least 1, got "
                              + std::to_string(spec.window_ns));
  if (spec.window == 0 && spec.window_ns == 0)
    return node_error(spec, spec.fn + " needs window or window_ns");
  return caf::none;
}

} // namespace shoal
