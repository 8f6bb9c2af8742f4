// XGBoost's prediction rules on small hand-written models, where the
// expected value follows from the rule alone.

#include <cmath>
#include <gtest/gtest.h>
#include <limits>
#include <string>
#include <vector>

#include "runtime/core/errc.hpp"
#include "runtime/functions/fn_factory.hpp"
#include "runtime/models/xgboost_model.hpp"
#include "tests/support/xgboost_fixtures.hpp"

using namespace shoal;
using namespace shoal::xgb_test;

namespace {

/// Loads a hand-written model; fails the test if it does not load.
std::shared_ptr<const xgboost_model> load(const model_text& m) {
  auto res = load_xgboost_model(write_temp("m.json", m.json()));
  EXPECT_TRUE(res) << describe(res.error());
  return res ? *res : nullptr;
}

/// Calls the node function of `m` on one row of doubles.
double call(const model_text& m, std::vector<double> args) {
  auto fn = make_fn(model_node(write_temp("m.json", m.json()), args.size()));
  EXPECT_TRUE(fn) << describe(fn.error());
  double out = NAN;
  std::string err;
  if (fn) {
    EXPECT_EQ((*fn)->call(1, args.data(), args.size(), out, err),
              fn_status::value)
      << err;
  }
  return out;
}

} // namespace

TEST(XgboostSemantics, GoesLeftOnlyWhenLessThanTheThresholdInFloat32) {
  model_text m; // base 0.5; x < 1 -> -1, else 2; missing -> left
  EXPECT_EQ(call(m, {0.5}), -0.5);
  EXPECT_EQ(call(m, {1.0}), 2.5);
  // Inputs are float32: this double rounds to exactly 1.0f.
  EXPECT_EQ(call(m, {0.99999999999}), 2.5);
  EXPECT_EQ(call(m, {static_cast<double>(std::nextafter(1.0f, 0.0f))}), -0.5);
  EXPECT_EQ(call(m, {-0.0}), -0.5);
  // Beyond the float range a double becomes +-inf, which compares as usual.
  EXPECT_EQ(call(m, {1e300}), 2.5);
  EXPECT_EQ(call(m, {-1e300}), -0.5);
  EXPECT_EQ(call(m, {std::numeric_limits<double>::denorm_min()}), -0.5);
}

TEST(XgboostSemantics, RoundsDoublesBeyondTheFloatRangeToNearest) {
  // Threshold +inf: FLT_MAX goes left, inf goes right.
  model_text m;
  m.trees[0].conditions = "[Infinity, -1.0, 2.0]";
  double top = std::numeric_limits<float>::max();
  EXPECT_EQ(call(m, {top}), -0.5);
  // Below FLT_MAX + half an ulp a double still rounds to FLT_MAX ...
  EXPECT_EQ(call(m, {top + 0x1p102}), -0.5);
  // ... and from there on (a tie rounds to even) to inf, as numpy has it.
  EXPECT_EQ(call(m, {top + 0x1p103}), 2.5);
  EXPECT_EQ(call(m, {1e39}), 2.5);
  EXPECT_EQ(call(m, {-1e39}), -0.5);
}

TEST(XgboostSemantics, MissingValuesFollowTheDefaultDirection) {
  model_text m;
  EXPECT_EQ(call(m, {NAN}), -0.5);
  m.trees[0].default_left = "[0, 0, 0]";
  EXPECT_EQ(call(m, {NAN}), 2.5);
  // A default-right node still sends small values left.
  EXPECT_EQ(call(m, {0.0}), -0.5);
}

TEST(XgboostSemantics, WalksDeeperTreesOverSeveralFeatures) {
  // Root: f1 < 0 -> node 1 (f0 < 10: -3 / 4), else leaf 5.
  model_text m;
  m.num_feature = "2";
  m.base_score = "0";
  m.trees[0]
    = {"[1, 3, -1, -1, -1]",          "[2, 4, -1, -1, -1]", "[1, 0, 0, 0, 0]",
       "[0.0, 10.0, 5.0, -3.0, 4.0]", "[0, 1, 0, 0, 0]",    "[0, 0, 0, 0, 0]"};
  EXPECT_EQ(call(m, {9.0, -1.0}), -3.0);
  EXPECT_EQ(call(m, {10.0, -1.0}), 4.0);
  EXPECT_EQ(call(m, {NAN, -1.0}), -3.0);
  EXPECT_EQ(call(m, {100.0, 0.0}), 5.0);
  EXPECT_EQ(call(m, {100.0, NAN}), 5.0);
  auto model = load(m);
  ASSERT_TRUE(model);
  EXPECT_EQ(model->num_trees(), 1u);
  EXPECT_EQ(model->num_features(), 2u);
}

TEST(XgboostSemantics, AddsTreesInOrderInFloat32) {
  // 1e8 + 3 + 3 in float32 is 1e8 (each 3 is lost); in double it is not.
  model_text m;
  m.base_score = "1E8";
  tree_text leaf3{"[-1]", "[-1]", "[0]", "[3.0]", "[0]", "[0]"};
  m.trees = {leaf3, leaf3};
  EXPECT_EQ(call(m, {0.0}), 1e8);
  // Nine trees: more than one group of trees walked together.
  m.base_score = "0";
  m.trees.assign(9, leaf3);
  m.trees[8].conditions = "[0.25]";
  EXPECT_EQ(call(m, {0.0}), 24.25);
}

TEST(XgboostSemantics, AppliesEachObjectivesBaseScoreAndTransform) {
  model_text m; // leaves -1 and 2 around base_score
  m.objective = "binary:logistic";
  m.base_score = "2.5E-1";
  float margin = -logf(1.0f / 0.25f - 1.0f) + 2.0f;
  auto model = load(m);
  ASSERT_TRUE(model);
  EXPECT_EQ(model->base_margin(), -logf(3.0f));
  EXPECT_EQ(call(m, {5.0}), 1.0f / (expf(-margin) + 1.0f));
  // logitraw: in XGBoost 1.7 base_score is already a margin.
  m.objective = "binary:logitraw";
  EXPECT_EQ(call(m, {5.0}), 2.25);
  m.objective = "count:poisson";
  EXPECT_EQ(call(m, {5.0}), expf(logf(0.25f) + 2.0f));
  m.objective = "binary:hinge";
  EXPECT_EQ(call(m, {5.0}), 1.0);
  EXPECT_EQ(call(m, {0.0}), 0.0);
  m.objective = "reg:gamma";
  EXPECT_EQ(call(m, {0.0}), expf(logf(0.25f) - 1.0f));
}

TEST(XgboostSemantics, SigmoidSaturatesLikeXgboost) {
  model_text m;
  m.objective = "reg:logistic";
  m.trees[0].conditions = "[1.0, -200.0, 200.0]";
  EXPECT_EQ(call(m, {5.0}), 1.0);
  // XGBoost clamps the exponent at 88.7: the result is tiny, not 0.
  EXPECT_EQ(call(m, {0.0}), 1.0f / (expf(88.7f) + 1.0f));
  EXPECT_GT(call(m, {0.0}), 0.0);
}

TEST(XgboostSemantics, EarlyStoppingKeepsTheBestRounds) {
  model_text m;
  m.base_score = "0";
  tree_text one{"[-1]", "[-1]", "[0]", "[1.0]", "[0]", "[0]"};
  m.trees.assign(5, one);
  // Without early stopping XGBoost still records best_iteration: all trees.
  m.attributes = R"({"best_iteration": "1", "best_ntree_limit": "2"})";
  EXPECT_EQ(call(m, {0.0}), 5.0);
  m.attributes = R"({"best_iteration": "1", "best_score": "0.5"})";
  EXPECT_EQ(call(m, {0.0}), 2.0);
  // A round of a random forest is num_parallel_tree trees.
  m.num_parallel_tree = "2";
  m.trees.assign(6, one);
  EXPECT_EQ(call(m, {0.0}), 4.0);
  m.attributes = R"({"best_iteration": "3", "best_score": "0.5"})";
  auto err = load_xgboost_model(write_temp("m.json", m.json()));
  ASSERT_FALSE(err);
  EXPECT_EQ(describe(err.error()),
            "corrupt model (best_iteration 3 of 6 trees)");
}

TEST(XgboostSemantics, SkipsDeletedNodesAndRelaysOutTheTree) {
  // Nodes 1 and 2 are deleted (unreachable) pruning leftovers; the real
  // children are 3 and 4.
  model_text m;
  m.base_score = "0";
  m.trees[0]
    = {"[3, -1, -1, -1, -1]",        "[4, -1, -1, -1, -1]", "[0, 0, 0, 0, 0]",
       "[1.0, 9.0, 9.0, -1.0, 2.0]", "[1, 0, 0, 0, 0]",     "[0, 0, 0, 0, 0]"};
  EXPECT_EQ(call(m, {0.0}), -1.0);
  EXPECT_EQ(call(m, {1.0}), 2.0);
}

TEST(XgboostSemantics, ReadsTheNonFiniteWordsXgboostWritesIntoJson) {
  // XGBoost writes NaN, Infinity and -Infinity unquoted (categorical splits
  // have NaN conditions). A NaN threshold sends every value right, and a
  // missing one to the default side; quoted text stays as it is.
  model_text m;
  m.attributes = R"({"note": "NaN, Infinity \" -Infinity"})";
  m.trees[0].conditions = "[NaN, -Infinity, Infinity]";
  EXPECT_EQ(call(m, {-1e30}), INFINITY);
  EXPECT_EQ(call(m, {NAN}), -INFINITY);
}
