#include "runtime/models/onnx_trees.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <onnx/onnx_pb.h>
#include <set>
#include <utility>

#include "runtime/models/linear_model.hpp"

namespace shoal {

namespace {

enum node_mode : uint8_t { leq, lt, gte, gt, eq, neq, leaf };

/// The ONNX-ML probit: sqrt(2) * erfinv(2p - 1), with the approximation of
/// erfinv that ONNX Runtime and the ONNX reference implementation use.
double probit(double p) {
  double x = 2 * p - 1;
  double sgn = x < 0 ? -1 : 1;
  double lg = std::log((1 - x) * (1 + x));
  double v = 2 / (M_PI * 0.147) + 0.5 * lg;
  double v3 = -v + std::sqrt(v * v - lg / 0.147);
  return std::sqrt(2.0) * sgn * std::sqrt(v3);
}

caf::error check_acyclic(const onnx_tree_ensemble& e) {
  // 0: unseen, 1: on the current path, 2: done. Iterative: trees are deep.
  std::vector<uint8_t> state(e.nodes.size(), 0);
  std::vector<std::pair<uint32_t, int>> stack;
  for (auto root : e.roots) {
    stack.emplace_back(root, 0);
    while (!stack.empty()) {
      auto& [i, next] = stack.back();
      const auto& nd = e.nodes[i];
      state[i] = 1;
      if (nd.mode == leaf || next == 2) {
        state[i] = 2;
        stack.pop_back();
        continue;
      }
      auto child = next++ == 0 ? nd.next_true : nd.next_false;
      if (state[child] == 1)
        return onnx_error("a tree has a cycle");
      if (state[child] == 0)
        stack.emplace_back(child, 0);
    }
  }
  return caf::none;
}

} // namespace

caf::expected<onnx_post> parse_post(const onnx::NodeProto& n) {
  auto x = attr_string(n, "post_transform", "NONE");
  const char* names[]
    = {"NONE", "LOGISTIC", "SOFTMAX", "SOFTMAX_ZERO", "PROBIT"};
  for (uint8_t i = 0; i < 5; ++i)
    if (x == names[i])
      return static_cast<onnx_post>(i);
  return onnx_error("unknown post_transform '" + x + "'");
}

void post_row(const onnx_scores& e, double* s, float* z) {
  auto n = e.scores;
  if (e.single_score) {
    double p = e.post == onnx_post::logistic ? logistic(s[0])
               : e.post == onnx_post::probit ? probit(s[0])
                                             : s[0];
    z[0] = static_cast<float>(1 - p);
    z[1] = static_cast<float>(p);
    return;
  }
  if (e.post == onnx_post::softmax || e.post == onnx_post::softmax_zero) {
    double hi = *std::max_element(s, s + n);
    double sum = 0;
    for (uint32_t i = 0; i < n; ++i) {
      // SOFTMAX_ZERO leaves (near) zero scores out of the sum.
      if (e.post == onnx_post::softmax_zero && std::fabs(s[i]) <= 1e-7)
        s[i] *= std::exp(-hi);
      else
        sum += s[i] = std::exp(s[i] - hi);
    }
    for (uint32_t i = 0; i < n; ++i)
      s[i] /= sum;
  } else if (e.post != onnx_post::none) {
    for (uint32_t i = 0; i < n; ++i)
      s[i] = e.post == onnx_post::logistic ? logistic(s[i]) : probit(s[i]);
  }
  for (uint32_t i = 0; i < n; ++i)
    z[i] = static_cast<float>(s[i]);
}

caf::error compile_tree_ensemble(const onnx::NodeProto& n, uint32_t in,
                                 onnx_core& core, onnx_ml_tables& tables,
                                 std::vector<uint32_t>& out) {
  bool cls = n.op_type() == "TreeEnsembleClassifier";
  onnx_tree_ensemble e;
  int64_t rows = 0;
  if (auto err = rows_of(core.shape(in), rows, e.features))
    return err;
  auto tids = attr_ints(n, "nodes_treeids");
  auto nids = attr_ints(n, "nodes_nodeids");
  auto feats = attr_ints(n, "nodes_featureids");
  auto modes = attr_strings(n, "nodes_modes");
  auto yes = attr_ints(n, "nodes_truenodeids");
  auto no = attr_ints(n, "nodes_falsenodeids");
  auto missing = attr_ints(n, "nodes_missing_value_tracks_true");
  auto values = attr_reals(n, "nodes_values");
  if (!values)
    return std::move(values.error());
  auto count = tids.size();
  if (count == 0 || nids.size() != count || feats.size() != count
      || modes.size() != count || yes.size() != count || no.size() != count
      || values->size() != count
      || (!missing.empty() && missing.size() != count))
    return onnx_error("tree node attributes differ in length");
  // A tree's root is its first node in attribute order, as in the ONNX
  // reference implementation.
  std::map<std::pair<int64_t, int64_t>, uint32_t> index;
  std::set<int64_t> trees;
  for (uint32_t i = 0; i < count; ++i) {
    if (!index.emplace(std::make_pair(tids[i], nids[i]), i).second)
      return onnx_error("tree node defined twice");
    if (trees.insert(tids[i]).second)
      e.roots.push_back(i);
  }
  const char* names[] = {"BRANCH_LEQ", "BRANCH_LT",  "BRANCH_GTE", "BRANCH_GT",
                         "BRANCH_EQ",  "BRANCH_NEQ", "LEAF"};
  e.nodes.resize(count);
  for (uint32_t i = 0; i < count; ++i) {
    auto& nd = e.nodes[i];
    auto m = std::find(std::begin(names), std::end(names), modes[i]);
    if (m == std::end(names))
      return onnx_error("unknown node mode '" + modes[i] + "'");
    nd.mode = static_cast<uint8_t>(m - std::begin(names));
    nd.threshold = (*values)[i];
    nd.missing_true = !missing.empty() && missing[i] != 0;
    if (nd.mode == leaf)
      continue;
    auto t = index.find({tids[i], yes[i]});
    auto f = index.find({tids[i], no[i]});
    if (t == index.end() || f == index.end())
      return onnx_error("tree " + std::to_string(tids[i]) + " node "
                        + std::to_string(nids[i]) + " has a missing child");
    if (feats[i] < 0 || feats[i] >= e.features)
      return onnx_error("a tree node uses feature " + std::to_string(feats[i])
                        + ", but the input has " + std::to_string(e.features)
                        + " features");
    nd.feature = static_cast<uint32_t>(feats[i]);
    nd.next_true = t->second;
    nd.next_false = f->second;
  }
  if (auto err = check_acyclic(e))
    return err;
  std::string p = cls ? "class_" : "target_";
  auto wt = attr_ints(n, p + "treeids");
  auto wn = attr_ints(n, p + "nodeids");
  auto ids = attr_ints(n, p + "ids");
  auto w = attr_reals(n, p + "weights");
  if (!w)
    return std::move(w.error());
  if (wn.size() != wt.size() || ids.size() != wt.size()
      || w->size() != wt.size())
    return onnx_error("tree weight attributes differ in length");
  auto post = parse_post(n);
  if (!post)
    return std::move(post.error());
  e.post = *post;
  if (auto err = resolve_scores(n, cls, ids, e, e.base))
    return err;
  auto agg = attr_string(n, "aggregate_function", "SUM");
  const char* aggs[] = {"SUM", "AVERAGE", "MIN", "MAX"};
  auto a = std::find(std::begin(aggs), std::end(aggs), agg);
  if (a == std::end(aggs))
    return onnx_error("unknown aggregate_function '" + agg + "'");
  e.aggregate = static_cast<onnx_aggregate>(a - std::begin(aggs));
  // Lay out each leaf's weights contiguously, in attribute order.
  std::vector<std::vector<onnx_tree_weight>> per(count);
  for (size_t j = 0; j < wt.size(); ++j) {
    auto i = index.find({wt[j], wn[j]});
    if (i == index.end())
      return onnx_error("tree weight for a node that does not exist");
    per[i->second].push_back({static_cast<uint32_t>(ids[j]), (*w)[j]});
  }
  for (uint32_t i = 0; i < count; ++i)
    if (e.nodes[i].mode == leaf) {
      e.nodes[i].next_true = static_cast<uint32_t>(e.weights.size());
      e.nodes[i].next_false = static_cast<uint32_t>(per[i].size());
      e.weights.insert(e.weights.end(), per[i].begin(), per[i].end());
    }
  auto& s = add_ml_step(in, core, rows, e, cls, onnx_op::tree_ensemble, out);
  s.param = static_cast<uint32_t>(tables.trees.size());
  tables.trees.push_back(std::move(e));
  return caf::none;
}

namespace {

/// The leaf that `row` reaches from `i`.
const onnx_tree_node& descend(const onnx_tree_ensemble& e, uint32_t i,
                              const float* row) {
  for (;;) {
    const auto& nd = e.nodes[i];
    double x = row[nd.feature];
    bool go;
    switch (nd.mode) {
      case leq: go = x <= nd.threshold; break;
      case lt: go = x < nd.threshold; break;
      case gte: go = x >= nd.threshold; break;
      case gt: go = x > nd.threshold; break;
      case eq: go = x == nd.threshold; break;
      case neq: go = x != nd.threshold; break;
      default: return nd;
    }
    i = go || (nd.missing_true && std::isnan(x)) ? nd.next_true : nd.next_false;
  }
}

} // namespace

void run_tree_ensemble(const onnx_tree_ensemble& e, int64_t rows,
                       const float* x, float* z, double* acc) {
  double* has = acc + e.scores;
  auto cols = e.columns();
  for (int64_t r = 0; r < rows; ++r) {
    const float* row = x + r * e.features;
    std::fill(acc, acc + 2 * e.scores, 0.0);
    for (auto root : e.roots) {
      const auto& lf = descend(e, root, row);
      for (uint32_t j = 0; j < lf.next_false; ++j) {
        const auto& w = e.weights[lf.next_true + j];
        double& a = acc[w.target];
        if (e.aggregate == onnx_aggregate::min && has[w.target] != 0)
          a = std::min(a, w.weight);
        else if (e.aggregate == onnx_aggregate::max && has[w.target] != 0)
          a = std::max(a, w.weight);
        else if (e.aggregate >= onnx_aggregate::min)
          a = w.weight;
        else
          a += w.weight;
        has[w.target] = 1;
      }
    }
    for (uint32_t t = 0; t < e.scores; ++t) {
      if (e.aggregate == onnx_aggregate::average)
        acc[t] /= static_cast<double>(e.roots.size());
      acc[t] += e.base[t];
    }
    post_row(e, acc, z + r * cols);
  }
}

} // namespace shoal
