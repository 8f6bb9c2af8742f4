#include <algorithm>
#include <cmath>
#include <limits>
#include <onnx/onnx_pb.h>
#include <tuple>

#include "runtime/models/onnx_trees.hpp"

namespace shoal {

namespace {

enum norm_kind : uint8_t { norm_max, norm_l1, norm_l2 };

size_t label_count(const onnx::NodeProto& n) {
  return std::max(attr_ints(n, "classlabels_int64s").size()
                    + attr_ints(n, "classlabels_ints").size(),
                  attr_strings(n, "classlabels_strings").size());
}

caf::error compile_linear(const onnx::NodeProto& n, uint32_t in,
                          onnx_core& core, onnx_ml_tables& tables,
                          std::vector<uint32_t>& out) {
  bool cls = n.op_type() == "LinearClassifier";
  onnx_linear e;
  int64_t rows = 0;
  if (auto err = rows_of(core.shape(in), rows, e.features))
    return err;
  auto coef = attr_floats(n, "coefficients");
  auto icpt = attr_floats(n, "intercepts");
  auto post = parse_post(n);
  if (!post)
    return std::move(post.error());
  e.post = *post;
  auto n_rows = static_cast<int64_t>(coef.size()) / e.features;
  if (coef.empty() || n_rows * e.features != static_cast<int64_t>(coef.size()))
    return onnx_error(std::to_string(coef.size())
                      + " coefficients do not fit an input of "
                      + std::to_string(e.features) + " features");
  // One id per coefficient row: the single row of a binary classifier is the
  // score of the positive class.
  std::vector<int64_t> ids(static_cast<size_t>(n_rows));
  for (size_t i = 0; i < ids.size(); ++i)
    ids[i] = static_cast<int64_t>(i);
  std::vector<double> base;
  if (auto err = resolve_scores(n, cls, ids, e, base))
    return err;
  if (n_rows != e.scores)
    return onnx_error(std::to_string(n_rows) + " coefficient rows for "
                      + std::to_string(e.scores) + " scores");
  if (!icpt.empty() && icpt.size() != e.scores)
    return onnx_error(std::to_string(icpt.size()) + " intercepts for "
                      + std::to_string(e.scores) + " scores");
  e.coef.assign(coef.begin(), coef.end());
  e.intercepts.assign(e.scores, 0.0);
  std::copy(icpt.begin(), icpt.end(), e.intercepts.begin());
  auto& s = add_ml_step(in, core, rows, e, cls, onnx_op::linear_ml, out);
  s.param = static_cast<uint32_t>(tables.linears.size());
  tables.linears.push_back(std::move(e));
  return caf::none;
}

/// Scaler, Normalizer and ZipMap: the output has the input's shape.
caf::error compile_elementwise(const onnx::NodeProto& n, uint32_t in,
                               onnx_core& core, onnx_ml_tables& tables,
                               std::vector<uint32_t>& out) {
  const auto& op = n.op_type();
  auto shape = core.shape(in);
  int64_t rows = 0;
  int64_t features = 0;
  if (auto err = rows_of(shape, rows, features))
    return err;
  if (op == "ZipMap") {
    if (label_count(n) != static_cast<size_t>(features))
      return onnx_error("ZipMap has " + std::to_string(label_count(n))
                        + " labels for " + std::to_string(features)
                        + " columns");
    auto z = core.add_alias(in, shape);
    core.values[z].is_proba = core.values[z].is_zipmap = true;
    out.push_back(z);
    return caf::none;
  }
  auto y = core.add_scratch(shape);
  out.push_back(y);
  if (op == "Normalizer") {
    auto norm = attr_string(n, "norm", "MAX");
    if (norm != "MAX" && norm != "L1" && norm != "L2")
      return onnx_error("unknown norm '" + norm + "'");
    auto& s = core.add_step(onnx_op::normalizer, y, {in});
    s.count = rows;
    s.param = static_cast<uint32_t>(features);
    s.kind = norm == "L1" ? norm_l1 : norm == "L2" ? norm_l2 : norm_max;
    return caf::none;
  }
  onnx_scaler e;
  e.features = features;
  for (auto [key, dst, fill] : {std::make_tuple("offset", &e.offset, 0.0),
                                std::make_tuple("scale", &e.scale, 1.0)}) {
    auto v = attr_floats(n, key);
    if (v.size() > 1 && static_cast<int64_t>(v.size()) != features)
      return onnx_error(std::string{"Scaler "} + key + " has "
                        + std::to_string(v.size()) + " entries for "
                        + std::to_string(features) + " features");
    dst->assign(static_cast<size_t>(features), v.empty() ? fill : v[0]);
    if (v.size() > 1)
      dst->assign(v.begin(), v.end());
  }
  auto& s = core.add_step(onnx_op::scaler, y, {in});
  s.count = onnx_size(shape);
  s.param = static_cast<uint32_t>(tables.scalers.size());
  tables.scalers.push_back(std::move(e));
  return caf::none;
}

void run_linear(const onnx_linear& e, int64_t rows, const float* x, float* z,
                double* acc) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* row = x + r * e.features;
    for (uint32_t t = 0; t < e.scores; ++t) {
      const double* c = e.coef.data() + t * e.features;
      double v = e.intercepts[t];
      for (int64_t f = 0; f < e.features; ++f)
        v += c[f] * row[f];
      acc[t] = v;
    }
    post_row(e, acc, z + r * e.columns());
  }
}

void run_normalizer(const onnx_step& s, const float* x, float* y) {
  auto len = static_cast<int64_t>(s.param);
  for (int64_t r = 0; r < s.count; ++r, x += len, y += len) {
    double d
      = s.kind == norm_max ? -std::numeric_limits<double>::infinity() : 0.0;
    for (int64_t i = 0; i < len; ++i)
      d = s.kind == norm_max  ? std::max(d, double{x[i]})
          : s.kind == norm_l1 ? d + std::fabs(x[i])
                              : d + double{x[i]} * x[i];
    if (s.kind == norm_l2)
      d = std::sqrt(d);
    // A row whose norm is zero stays as it is, as in ONNX Runtime.
    for (int64_t i = 0; i < len; ++i)
      y[i] = d != 0 ? static_cast<float>(x[i] / d) : x[i];
  }
}

} // namespace

caf::error rows_of(const onnx_shape& s, int64_t& rows, int64_t& features) {
  if (s.empty() || s.size() > 2)
    return onnx_error("input must be [N, features], got " + show_shape(s));
  features = s.back();
  rows = s.size() == 2 ? s[0] : 1;
  return caf::none;
}

caf::error resolve_scores(const onnx::NodeProto& n, bool classifier,
                          std::vector<int64_t>& ids, onnx_scores& e,
                          std::vector<double>& base) {
  auto given = attr_reals(n, "base_values");
  if (!given)
    return std::move(given.error());
  auto labels = classifier ? label_count(n) : 0;
  int64_t first = ids.empty() ? 0 : ids[0];
  e.single_score = classifier && labels == 2 && !ids.empty()
                   && std::all_of(ids.begin(), ids.end(), [&](int64_t i) {
                        return i == first;
                      });
  if (e.single_score) {
    if (e.post == onnx_post::softmax || e.post == onnx_post::softmax_zero)
      return onnx_error("post_transform SOFTMAX needs a score per class");
    std::fill(ids.begin(), ids.end(), 0);
    e.scores = 1;
    if (given->size() == 2 && first >= 0 && first < 2)
      given = std::vector<double>{(*given)[static_cast<size_t>(first)]};
  } else {
    auto targets = attr_int(n, "n_targets", attr_int(n, "targets", 1));
    e.scores = static_cast<uint32_t>(classifier ? labels : targets);
  }
  if (e.scores == 0)
    return onnx_error(classifier ? "classifier has no class labels"
                                 : "regressor has no targets");
  for (auto i : ids)
    if (i < 0 || i >= e.scores)
      return onnx_error("class or target id " + std::to_string(i)
                        + " out of range");
  if (!given->empty() && given->size() != e.scores)
    return onnx_error("base_values has " + std::to_string(given->size())
                      + " entries for " + std::to_string(e.scores) + " scores");
  base = given->empty() ? std::vector<double>(e.scores, 0.0) : *given;
  return caf::none;
}

onnx_step& add_ml_step(uint32_t in, onnx_core& core, int64_t rows,
                       const onnx_scores& e, bool classifier, onnx_op op,
                       std::vector<uint32_t>& out) {
  if (classifier) {
    auto label = core.add_scratch({rows});
    core.values[label].kind = onnx_value::label;
    out.push_back(label);
  }
  auto z = core.add_scratch({rows, e.columns()});
  core.values[z].is_proba = classifier;
  out.push_back(z);
  auto& s = core.add_step(op, z, {in});
  s.count = rows;
  s.acc = 2 * static_cast<int64_t>(e.scores);
  return s;
}

bool is_ml_op(std::string_view op) {
  static constexpr std::string_view ops[] = {"TreeEnsembleRegressor",
                                             "TreeEnsembleClassifier",
                                             "LinearRegressor",
                                             "LinearClassifier",
                                             "Scaler",
                                             "Normalizer",
                                             "ZipMap"};
  return std::find(std::begin(ops), std::end(ops), op) != std::end(ops);
}

caf::error compile_ml(const onnx::NodeProto& n, const std::vector<uint32_t>& in,
                      onnx_core& core, onnx_ml_tables& tables,
                      std::vector<uint32_t>& out) {
  if (in.empty() || in[0] == onnx_absent)
    return onnx_error(n.op_type() + " needs an input");
  const auto& op = n.op_type();
  if (op == "TreeEnsembleRegressor" || op == "TreeEnsembleClassifier")
    return compile_tree_ensemble(n, in[0], core, tables, out);
  if (op == "LinearRegressor" || op == "LinearClassifier")
    return compile_linear(n, in[0], core, tables, out);
  return compile_elementwise(n, in[0], core, tables, out);
}

void run_ml(const onnx_step& s, const onnx_ml_tables& tables,
            const onnx_memory& mem) {
  const float* x = mem.in(mem.operand(s, 0));
  float* y = mem.out(s.out);
  switch (s.op) {
    case onnx_op::tree_ensemble:
      run_tree_ensemble(tables.trees[s.param], s.count, x, y, mem.acc);
      break;
    case onnx_op::linear_ml:
      run_linear(tables.linears[s.param], s.count, x, y, mem.acc);
      break;
    case onnx_op::scaler: {
      const auto& e = tables.scalers[s.param];
      for (int64_t i = 0; i < s.count; ++i) {
        auto f = static_cast<size_t>(i % e.features);
        y[i] = static_cast<float>((x[i] - e.offset[f]) * e.scale[f]);
      }
      break;
    }
    case onnx_op::normalizer: run_normalizer(s, x, y); break;
    default: break;
  }
}

size_t onnx_ml_tables::memory_bytes() const {
  size_t n = 0;
  for (const auto& e : trees)
    n += sizeof(e) + e.nodes.capacity() * sizeof(onnx_tree_node)
         + e.roots.capacity() * sizeof(uint32_t)
         + e.weights.capacity() * sizeof(onnx_tree_weight)
         + e.base.capacity() * sizeof(double);
  for (const auto& e : linears)
    n += sizeof(e)
         + (e.coef.capacity() + e.intercepts.capacity()) * sizeof(double);
  for (const auto& e : scalers)
    n += sizeof(e)
         + (e.offset.capacity() + e.scale.capacity()) * sizeof(double);
  return n;
}

} // namespace shoal
