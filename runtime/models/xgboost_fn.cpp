#include "runtime/models/xgboost_fn.hpp"

#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "runtime/core/errc.hpp"
#include "runtime/graph/graph_error.hpp"
#include "runtime/models/model_cache.hpp"
#include "runtime/models/model_file.hpp"
#include "runtime/models/xgboost_model.hpp"

namespace shoal {

namespace {

class xgboost_fn final : public node_fn {
public:
  explicit xgboost_fn(std::shared_ptr<const xgboost_model> model)
    : model_(std::move(model)), row_(model_->num_features()) {
    // nop
  }

  fn_status call(int64_t, const double* args, size_t n, double& out,
                 std::string& err) override {
    if (n != row_.size()) {
      err = "xgboost model has " + std::to_string(row_.size())
            + " features but got " + std::to_string(n) + " inputs";
      return fn_status::error;
    }
    for (size_t i = 0; i < n; ++i)
      row_[i] = to_float(args[i]);
    out = model_->predict(row_.data());
    return fn_status::value;
  }

  size_t memory_bytes() const override {
    // Not the model: every node using the file shares it.
    return sizeof(*this) + row_.capacity() * sizeof(float);
  }

private:
  /// Rounds to nearest, as XGBoost and numpy convert float64 to float32. A
  /// double beyond the float range becomes FLT_MAX or inf, as IEEE rounding
  /// has it (spelled out: a plain conversion would be undefined there).
  static float to_float(double x) {
    constexpr double top = std::numeric_limits<float>::max();
    if (std::fabs(x) <= top || std::isnan(x))
      return static_cast<float>(x);
    // FLT_MAX plus half its ulp is a tie, and ties round to even: inf.
    constexpr double tie = top + 0x1p103;
    auto res = std::fabs(x) < tie ? std::numeric_limits<float>::max()
                                  : std::numeric_limits<float>::infinity();
    return std::signbit(x) ? -res : res;
  }

  std::shared_ptr<const xgboost_model> model_;
  std::vector<float> row_;
};

} // namespace

caf::expected<node_fn_ptr> make_xgboost_fn(const node_spec& spec,
                                           model_cache& models) {
  if (spec.path.empty())
    return node_error(spec, "xgboost model needs path");
  auto prefix = "xgboost model " + spec.path + ": ";
  auto content = model_content(spec);
  if (!content)
    return node_error(spec, prefix + describe(content.error()));
  auto model
    = models.get<xgboost_model>("xgboost", *content, compile_xgboost_model);
  if (!model)
    return node_error(spec, prefix + describe(model.error()));
  auto features = (*model)->num_features();
  if (features != spec.needs.size())
    return node_error(spec, prefix + "the model has " + std::to_string(features)
                              + " features but the node has "
                              + std::to_string(spec.needs.size()) + " inputs");
  return std::make_unique<xgboost_fn>(std::move(*model));
}

} // namespace shoal
