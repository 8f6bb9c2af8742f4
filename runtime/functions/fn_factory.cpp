#include "runtime/functions/fn_factory.hpp"

#include <cmath>
#include <cstdio>
#include <string>

#include "runtime/functions/rolling_fns.hpp"
#include "runtime/functions/stream_fns.hpp"
#include "runtime/graph/graph_error.hpp"
#include "runtime/lua/lua_fn.hpp"
#include "runtime/models/linear_model.hpp"
#include "runtime/models/onnx_fn.hpp"
#include "runtime/models/xgboost_fn.hpp"

namespace shoal {

namespace {

constexpr const char* known_fns = "rolling_mean, rolling_sum, rolling_min, "
                                  "rolling_max, rolling_std, ewma, diff, "
                                  "rate, lua";

constexpr const char* known_kinds = "linear, xgboost, onnx, lua";

/// Renders a parameter value as users wrote it ("0.5", not "0.500000").
std::string show(double x) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", x);
  return buf;
}

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
};

/// Rejects every parameter that `spec` gives but `what` does not take. A
/// parameter counts as given when it differs from its default.
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

caf::expected<node_fn_ptr> make_lua(const node_spec& spec) {
  auto what = spec.kind == node_kind::model ? std::string{"lua model"}
                                            : std::string{"lua"};
  if (auto err = check_unused(spec, what, p_code | p_path))
    return err;
  return make_lua_fn(spec);
}

caf::expected<node_fn_ptr> make_rolling(const node_spec& spec, rolling_op op) {
  if (auto err = check_one_input(spec))
    return err;
  if (auto err = check_unused(spec, spec.fn, p_window | p_window_ns))
    return err;
  if (spec.window != 0 && spec.window_ns != 0)
    return node_error(spec, spec.fn + " takes window or window_ns, not both");
  if (spec.window < 0)
    return node_error(spec, "window must be at least 1, got "
                              + std::to_string(spec.window));
  if (spec.window_ns < 0)
    return node_error(spec, "window_ns must be at least 1, got "
                              + std::to_string(spec.window_ns));
  if (spec.window > 0)
    return make_rolling_count_fn(op, spec.window);
  if (spec.window_ns > 0)
    return make_rolling_time_fn(op, spec.window_ns);
  return node_error(spec, spec.fn + " needs window or window_ns");
}

caf::expected<node_fn_ptr> make_feature(const node_spec& spec) {
  if (spec.fn == "lua")
    return make_lua(spec);
  if (auto op = parse_rolling_op(spec.fn))
    return make_rolling(spec, *op);
  if (spec.fn == "ewma") {
    if (auto err = check_one_input(spec))
      return err;
    if (auto err = check_unused(spec, spec.fn, p_alpha))
      return err;
    // Also rejects NaN; 0 is what a missing alpha reads as.
    if (!(spec.alpha > 0 && spec.alpha <= 1))
      return node_error(spec, spec.alpha == 0
                                ? "ewma needs alpha in (0, 1]"
                                : "ewma alpha must be in (0, 1], got "
                                    + show(spec.alpha));
    return make_ewma_fn(spec.alpha);
  }
  if (spec.fn == "diff" || spec.fn == "rate") {
    if (auto err = check_one_input(spec))
      return err;
    if (auto err = check_unused(spec, spec.fn, 0))
      return err;
    return spec.fn == "diff" ? make_diff_fn() : make_rate_fn();
  }
  if (spec.fn.empty())
    return node_error(spec, std::string{"missing fn; known: "} + known_fns);
  return node_error(spec,
                    "unknown function '" + spec.fn + "'; known: " + known_fns);
}

caf::expected<node_fn_ptr> make_linear(const node_spec& spec) {
  if (auto err
      = check_unused(spec, "linear model", p_weights | p_bias | p_link))
    return err;
  if (spec.weights.empty())
    return node_error(spec, "linear model needs weights, one per input");
  if (spec.weights.size() != spec.needs.size())
    return node_error(spec, "linear model has "
                              + std::to_string(spec.weights.size())
                              + " weights for "
                              + std::to_string(spec.needs.size()) + " inputs");
  for (size_t i = 0; i < spec.weights.size(); ++i)
    if (!std::isfinite(spec.weights[i]))
      return node_error(spec, "linear model weight " + std::to_string(i)
                                + " is not a finite number");
  if (!std::isfinite(spec.bias))
    return node_error(spec, "linear model bias is not a finite number");
  auto link = parse_link(spec.link);
  if (!link)
    return node_error(spec, "unknown link '" + spec.link
                              + "'; known: identity, logistic");
  return make_linear_model(spec.weights, spec.bias, *link);
}

caf::expected<node_fn_ptr> make_model(const node_spec& spec,
                                      const fn_context& ctx) {
  if (spec.fn == "linear")
    return make_linear(spec);
  if (spec.fn == "lua")
    return make_lua(spec);
  if (spec.fn == "xgboost") {
    if (auto err = check_unused(spec, "xgboost model", p_path))
      return err;
    return make_xgboost_fn(spec, *ctx.models);
  }
  if (spec.fn == "onnx") {
    if (auto err = check_unused(spec, "onnx model", p_path))
      return err;
    return make_onnx_fn(spec, *ctx.models);
  }
  if (spec.fn.empty())
    return node_error(spec, std::string{"missing kind; known: "} + known_kinds);
  return node_error(spec, "unknown model kind '" + spec.fn
                            + "'; known: " + known_kinds);
}

} // namespace

caf::expected<node_fn_ptr> make_fn(const node_spec& spec,
                                   const fn_context& ctx) {
  switch (spec.kind) {
    case node_kind::feature: return make_feature(spec);
    case node_kind::model: return make_model(spec, ctx);
    case node_kind::sensor: break;
  }
  return node_error(spec, "a sensor has no function");
}

} // namespace shoal
