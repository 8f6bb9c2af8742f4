// A compiled XGBoost tree ensemble (the `xgboost` model kind, SPEC section 2).
//
// `load_xgboost_model` reads a model file as XGBoost's `save_model` writes it
// (JSON or UBJSON), checks it, and flattens its trees into one packed node
// array; afterwards nothing is parsed again. `predict` walks the trees
// natively and returns what XGBoost 1.7's `predict()` returns for the row to
// the last bit: float32 inputs, `x < threshold` goes left, a missing (NaN)
// input follows the node's default direction, the margin starts at the
// objective's transform of `base_score` and adds the leaf values in float32
// in tree order, then the objective's transform (sigmoid, exp, ...) applies.
// A model trained with early stopping uses its first `best_iteration + 1`
// rounds, as XGBoost's scikit-learn `predict()` does. See docs/models.md.
//
// An `xgboost_model` is immutable once built: share it freely between
// threads (`model_cache` hands one instance to every node using the file).
// `predict` allocates nothing.

#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "caf/expected.hpp"

namespace shoal {

/// How the prediction follows from the margin, by objective.
enum class xgb_transform : uint8_t {
  /// The margin itself (squared error, logitraw, ...).
  identity,
  /// XGBoost's float sigmoid (reg:logistic, binary:logistic).
  sigmoid,
  /// expf (count:poisson, reg:gamma, reg:tweedie).
  exp,
  /// 1 if the margin is positive, else 0 (binary:hinge).
  hinge,
};

/// One tree as XGBoost stores it: parallel arrays indexed by node id, node 0
/// the root, `left[i] == -1` for a leaf (whose value is `conditions[i]`).
struct xgb_tree_arrays {
  std::vector<int64_t> left;
  std::vector<int64_t> right;
  std::vector<int64_t> split_index;
  std::vector<float> conditions;
  std::vector<uint8_t> default_left;
  /// 0 numerical, 1 categorical; empty means all numerical.
  std::vector<uint8_t> split_type;
};

/// What a model file says, as read and before any checks.
struct xgb_model_desc {
  std::string booster;
  std::string objective;
  /// `base_score` as stored: a probability for logistic objectives.
  float base_score = 0.5f;
  int64_t num_features = 0;
  int64_t num_class = 0;
  int64_t num_target = 1;
  int64_t num_parallel_tree = 1;
  /// Rounds `predict()` uses; 0 for all (no early stopping).
  int64_t iteration_end = 0;
  std::vector<int64_t> tree_info;
  std::vector<xgb_tree_arrays> trees;
};

class xgboost_model {
public:
  /// A node of the packed array. An internal node sends `row[feature] <
  /// value` to its left child, anything else to its right one, and a missing
  /// value to its default side. A leaf holds its value, and both its
  /// children are the leaf itself: a walk may take more steps than a leaf's
  /// depth, and so needs no branch.
  struct node {
    float value;
    /// Feature index, plus `default_left_bit`.
    uint32_t bits;
    /// Left and right child as byte offsets into the node array: a step
    /// indexes this pair with the comparison (no branch, no multiply).
    uint32_t child[2];
  };

  static constexpr uint32_t default_left_bit = 1u << 31;
  static constexpr uint32_t feature_mask = default_left_bit - 1;

  /// Checks `desc` and compiles it; the error text is the reason (e.g.
  /// "objective 'multi:softprob' is not supported; supported: ...").
  static caf::expected<std::shared_ptr<const xgboost_model>>
  compile(const xgb_model_desc& desc);

  /// Returns the prediction for `row[0..num_features())`, NaN meaning missing.
  float predict(const float* row) const;

  /// Returns the margin (before the objective's transform) for `row`.
  float predict_margin(const float* row) const;

  size_t num_features() const {
    return num_features_;
  }

  /// Trees evaluated per prediction.
  size_t num_trees() const {
    return num_trees_;
  }

  const std::string& objective() const {
    return objective_;
  }

  /// The starting margin: `base_score` through the objective's inverse link.
  float base_margin() const {
    return base_margin_;
  }

  /// Bytes of the packed trees and bookkeeping.
  size_t memory_bytes() const;

  /// Whether `compile` accepts the objective called `name`.
  static bool supports(const std::string& name);

  /// The objectives `compile` accepts, comma-separated.
  static const char* supported_objectives();

private:
  xgboost_model() = default;

  std::string objective_;
  xgb_transform transform_ = xgb_transform::identity;
  float base_margin_ = 0;
  size_t num_features_ = 0;
  size_t num_trees_ = 0;
  std::vector<node> nodes_;
  /// Byte offset of each tree's root in `nodes_`, in XGBoost's order.
  std::vector<uint32_t> roots_;
  /// Deepest leaf of each group of trees walked together (see predict).
  std::vector<uint16_t> group_depth_;
};

/// Parses a model file's bytes (JSON or UBJSON, told apart by content) into
/// a description; the error text is the reason.
caf::expected<xgb_model_desc> parse_xgboost_model(const std::vector<uint8_t>&);

/// Parses and compiles a model file's bytes; the error text is the reason
/// ("not an XGBoost model (...)", ...).
caf::expected<std::shared_ptr<const xgboost_model>>
compile_xgboost_model(const std::string& bytes);

/// Reads, parses and compiles the model file at `path`; the error text is the
/// reason ("cannot read file (...)", "not an XGBoost model (...)", ...).
caf::expected<std::shared_ptr<const xgboost_model>>
load_xgboost_model(const std::string& path);

} // namespace shoal
