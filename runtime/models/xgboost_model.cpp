#include "runtime/models/xgboost_model.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "runtime/core/errc.hpp"

namespace shoal {

namespace {

/// Trees walked side by side: independent chains of loads hide each other's
/// latency, and the walk has no data-dependent branch (a leaf loops on
/// itself), so a group costs its deepest leaf in steps. 16 measured faster
/// than 8 and 32 (x86-64, 100 trees of depth 6).
constexpr size_t group_size = 16;

/// How `base_score` becomes the starting margin (`ProbToMargin`).
enum class base_link : uint8_t { identity, logit, log };

struct objective_info {
  const char* name;
  base_link base;
  xgb_transform transform;
};

// XGBoost 1.7 src/objective: ProbToMargin and PredTransform of each objective.
constexpr objective_info objectives[] = {
  {"reg:squarederror", base_link::identity, xgb_transform::identity},
  {"reg:squaredlogerror", base_link::identity, xgb_transform::identity},
  {"reg:pseudohubererror", base_link::identity, xgb_transform::identity},
  {"reg:absoluteerror", base_link::identity, xgb_transform::identity},
  {"reg:logistic", base_link::logit, xgb_transform::sigmoid},
  {"binary:logistic", base_link::logit, xgb_transform::sigmoid},
  {"binary:logitraw", base_link::identity, xgb_transform::identity},
  {"binary:hinge", base_link::identity, xgb_transform::hinge},
  {"count:poisson", base_link::log, xgb_transform::exp},
  {"reg:gamma", base_link::log, xgb_transform::exp},
  {"reg:tweedie", base_link::log, xgb_transform::exp},
};

const objective_info* find_objective(const std::string& name) {
  for (const auto& x : objectives)
    if (name == x.name)
      return &x;
  return nullptr;
}

float base_margin_of(base_link link, float base_score) {
  switch (link) {
    case base_link::identity: return base_score;
    case base_link::logit: return -logf(1.0f / base_score - 1.0f);
    case base_link::log: return logf(base_score);
  }
  return base_score;
}

/// XGBoost's `common::Sigmoid`, operation for operation.
float sigmoid(float x) {
  constexpr float eps = 1e-16f;
  x = std::min(-x, 88.7f);
  auto denom = expf(x) + 1.0f + eps;
  return 1.0f / denom;
}

caf::error corrupt(size_t tree, const std::string& what) {
  return make_error(errc::invalid_input, "corrupt model (tree "
                                           + std::to_string(tree) + ": " + what
                                           + ")");
}

uint32_t offset_of(size_t index) {
  return static_cast<uint32_t>(index * sizeof(xgboost_model::node));
}

/// Appends tree `t` to `nodes` breadth first, so that siblings are adjacent,
/// and returns its depth. Rejects anything that is not a tree over
/// `num_features` numerical features.
caf::expected<size_t> flatten(const xgb_tree_arrays& t, size_t index,
                              size_t num_features,
                              std::vector<xgboost_model::node>& nodes) {
  auto n = t.left.size();
  if (n == 0)
    return corrupt(index, "no nodes");
  if (t.right.size() != n || t.split_index.size() != n
      || t.conditions.size() != n || t.default_left.size() != n
      || (!t.split_type.empty() && t.split_type.size() != n))
    return corrupt(index, "node arrays of different lengths");
  if (nodes.size() + n >= UINT32_MAX / sizeof(xgboost_model::node))
    return make_error(errc::invalid_input, "the model has too many nodes");
  std::vector<bool> seen(n);
  // Pairs of (old id, depth) in the order of their new positions.
  std::vector<std::pair<size_t, size_t>> order{{0, 0}};
  seen[0] = true;
  auto base = nodes.size();
  size_t depth = 0;
  for (size_t pos = 0; pos < order.size(); ++pos) {
    auto [id, d] = order[pos];
    depth = std::max(depth, d);
    auto self = offset_of(base + pos);
    if (t.left[id] == -1) {
      nodes.push_back({t.conditions[id], 0, {self, self}});
      continue;
    }
    if (!t.split_type.empty() && t.split_type[id] != 0)
      return make_error(errc::invalid_input,
                        "categorical splits are not supported (tree "
                          + std::to_string(index) + ")");
    auto feature = t.split_index[id];
    if (feature < 0 || static_cast<uint64_t>(feature) >= num_features)
      return corrupt(index, "node " + std::to_string(id) + " splits on feature "
                              + std::to_string(feature) + " of "
                              + std::to_string(num_features));
    for (auto child : {t.left[id], t.right[id]}) {
      if (child < 0 || static_cast<uint64_t>(child) >= n)
        return corrupt(index, "node " + std::to_string(id) + " has child "
                                + std::to_string(child) + " of "
                                + std::to_string(n) + " nodes");
      if (seen[child])
        return corrupt(index,
                       "node " + std::to_string(child) + " is reached twice");
      seen[child] = true;
      order.emplace_back(static_cast<size_t>(child), d + 1);
    }
    auto bits = static_cast<uint32_t>(feature);
    if (t.default_left[id] != 0)
      bits |= xgboost_model::default_left_bit;
    auto left = base + order.size() - 2;
    nodes.push_back(
      {t.conditions[id], bits, {offset_of(left), offset_of(left + 1)}});
  }
  return depth;
}

/// One step down from the node at byte offset `at`; a leaf stays where it
/// is. Without missing values in the row the NaN test is left out, as
/// XGBoost does.
template <bool Missing>
uint32_t step(const char* nodes, uint32_t at, const float* row) {
  const auto& n = *reinterpret_cast<const xgboost_model::node*>(nodes + at);
  float x = row[n.bits & xgboost_model::feature_mask];
  uint32_t left = x < n.value;
  if constexpr (Missing)
    left |= static_cast<uint32_t>(std::isnan(x)) & (n.bits >> 31);
  return n.child[left ^ 1];
}

/// Walks trees `roots[0..n)` side by side for `depth` steps, then adds
/// their leaves to `margin` in tree order, in float, as XGBoost does. `N`
/// is `n` when known at compile time (full groups: unrolled, in registers).
template <bool Missing, size_t N = 0>
float walk_group(const char* nodes, const uint32_t* roots, size_t n,
                 uint16_t depth, const float* row, float margin) {
  if constexpr (N != 0)
    n = N;
  uint32_t at[group_size];
  for (size_t k = 0; k < n; ++k)
    at[k] = roots[k];
  for (uint16_t d = 0; d < depth; ++d) {
#pragma GCC unroll 16
    for (size_t k = 0; k < n; ++k)
      at[k] = step<Missing>(nodes, at[k], row);
  }
  for (size_t k = 0; k < n; ++k)
    margin
      += reinterpret_cast<const xgboost_model::node*>(nodes + at[k])->value;
  return margin;
}

template <bool Missing>
float walk(const char* nodes, const uint32_t* roots,
           const std::vector<uint16_t>& group_depth, size_t num_trees,
           const float* row, float margin) {
  for (auto depth : group_depth) {
    auto n = std::min(num_trees, group_size);
    if (n == group_size)
      margin
        = walk_group<Missing, group_size>(nodes, roots, n, depth, row, margin);
    else
      margin = walk_group<Missing>(nodes, roots, n, depth, row, margin);
    roots += n;
    num_trees -= n;
  }
  return margin;
}

} // namespace

bool xgboost_model::supports(const std::string& name) {
  return find_objective(name) != nullptr;
}

const char* xgboost_model::supported_objectives() {
  return "reg:squarederror, reg:squaredlogerror, reg:pseudohubererror, "
         "reg:absoluteerror, reg:logistic, binary:logistic, binary:logitraw, "
         "binary:hinge, count:poisson, reg:gamma, reg:tweedie";
}

caf::expected<std::shared_ptr<const xgboost_model>>
xgboost_model::compile(const xgb_model_desc& desc) {
  auto fail = [](std::string text) {
    return make_error(errc::invalid_input, std::move(text));
  };
  if (desc.booster != "gbtree")
    return fail("booster '" + desc.booster
                + "' is not supported; supported: gbtree");
  auto obj = find_objective(desc.objective);
  if (obj == nullptr)
    return fail("objective '" + desc.objective
                + "' is not supported; supported: " + supported_objectives());
  if (desc.num_class > 1 || desc.num_target > 1)
    return fail("only single-output models are supported (num_class "
                + std::to_string(desc.num_class) + ", num_target "
                + std::to_string(desc.num_target) + ")");
  if (desc.num_features < 1 || desc.num_features > feature_mask)
    return fail("corrupt model (num_feature "
                + std::to_string(desc.num_features) + ")");
  if (desc.num_parallel_tree < 1 || desc.num_parallel_tree > INT32_MAX)
    return fail("corrupt model (num_parallel_tree "
                + std::to_string(desc.num_parallel_tree) + ")");
  if (desc.tree_info.size() != desc.trees.size())
    return fail("corrupt model (tree_info has "
                + std::to_string(desc.tree_info.size()) + " entries for "
                + std::to_string(desc.trees.size()) + " trees)");
  if (std::any_of(desc.tree_info.begin(), desc.tree_info.end(), [](int64_t g) {
        return g != 0;
      }))
    return fail("corrupt model (tree_info names an output group other "
                "than 0)");
  auto used = desc.trees.size();
  if (desc.iteration_end > 0) {
    // XGBoost's iteration range: whole rounds of num_parallel_tree trees.
    // Both factors are below 2^31: no overflow.
    auto end
      = static_cast<uint64_t>(std::min<int64_t>(desc.iteration_end, INT32_MAX))
        * static_cast<uint64_t>(desc.num_parallel_tree);
    if (end > used)
      return fail("corrupt model (best_iteration "
                  + std::to_string(desc.iteration_end - 1) + " of "
                  + std::to_string(used) + " trees)");
    used = static_cast<size_t>(end);
  }
  auto margin = base_margin_of(obj->base, desc.base_score);
  if (!std::isfinite(margin))
    return fail("base_score " + std::to_string(desc.base_score)
                + " is out of range for objective '" + desc.objective + "'");
  std::shared_ptr<xgboost_model> res{new xgboost_model};
  res->objective_ = desc.objective;
  res->transform_ = obj->transform;
  res->base_margin_ = margin;
  res->num_features_ = static_cast<size_t>(desc.num_features);
  std::vector<size_t> depths;
  for (size_t i = 0; i < used; ++i) {
    res->roots_.push_back(offset_of(res->nodes_.size()));
    auto depth = flatten(desc.trees[i], i, res->num_features_, res->nodes_);
    if (!depth)
      return std::move(depth.error());
    depths.push_back(*depth);
  }
  for (size_t i = 0; i < used; i += group_size) {
    auto end = std::min(used, i + group_size);
    auto deepest = *std::max_element(depths.begin() + i, depths.begin() + end);
    if (deepest > UINT16_MAX)
      return fail("corrupt model (a tree of depth " + std::to_string(deepest)
                  + ")");
    res->group_depth_.push_back(static_cast<uint16_t>(deepest));
  }
  res->num_trees_ = used;
  res->nodes_.shrink_to_fit();
  return std::shared_ptr<const xgboost_model>{std::move(res)};
}

float xgboost_model::predict_margin(const float* row) const {
  auto nodes = reinterpret_cast<const char*>(nodes_.data());
  bool missing = false;
  for (size_t i = 0; i < num_features_; ++i)
    missing |= std::isnan(row[i]);
  if (missing)
    return walk<true>(nodes, roots_.data(), group_depth_, num_trees_, row,
                      base_margin_);
  return walk<false>(nodes, roots_.data(), group_depth_, num_trees_, row,
                     base_margin_);
}

float xgboost_model::predict(const float* row) const {
  auto margin = predict_margin(row);
  switch (transform_) {
    case xgb_transform::identity: return margin;
    case xgb_transform::sigmoid: return sigmoid(margin);
    case xgb_transform::exp: return expf(margin);
    case xgb_transform::hinge: return margin > 0.0 ? 1.0f : 0.0f;
  }
  return margin;
}

size_t xgboost_model::memory_bytes() const {
  return sizeof(*this) + objective_.capacity()
         + nodes_.capacity() * sizeof(node)
         + roots_.capacity() * sizeof(uint32_t)
         + group_depth_.capacity() * sizeof(uint16_t);
}

} // namespace shoal
