#include "runtime/functions/fn_factory.hpp"

#include <cmath>
#include <string>

#include "runtime/functions/cleaning_factory.hpp"
#include "runtime/functions/fn_params.hpp"
#include "runtime/functions/rolling_fns.hpp"
#include "runtime/functions/stream_fns.hpp"
#include "runtime/graph/graph_error.hpp"
#include "runtime/lua/lua_fn.hpp"
#include "runtime/models/linear_model.hpp"
#include "runtime/models/onnx_fn.hpp"
#include "runtime/models/xgboost_fn.hpp"

namespace shoal {

namespace {

constexpr const char* known_fns
  = "rolling_mean, rolling_sum, rolling_min, rolling_max, rolling_std, "
    "ewma, diff, rate, clip, scale, deadband, rolling_quantile, zscore, "
    "tumbling_mean, tumbling_sum, tumbling_min, tumbling_max, "
    "tumbling_count, tumbling_last, lua";

constexpr const char* known_kinds = "linear, xgboost, onnx, lua";

caf::expected<node_fn_ptr> make_lua(const node_spec& spec) {
  auto what = spec.kind == node_kind::model ? std::string{"lua model"}
                                            : std::string{"lua"};
  if (auto err = check_unused(spec, what, p_code | p_path))
    return err;
  return make_lua_fn(spec);
}

caf::expected<node_fn_ptr> make_rolling(const node_spec& spec, rolling_op op) {
  if (auto err = check_window(spec))
    return err;
  if (spec.window > 0)
    return make_rolling_count_fn(op, spec.window);
  return make_rolling_time_fn(op, spec.window_ns);
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
  if (auto fn = make_cleaning(spec))
    return std::move(*fn);
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
