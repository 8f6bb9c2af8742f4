// The `xgboost` node function: rejections at load, sharing one model between
// many nodes, and no heap allocation per call.

#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <string>
#include <vector>

#include "runtime/core/errc.hpp"
#include "runtime/functions/fn_factory.hpp"
#include "runtime/models/model_cache.hpp"
#include "runtime/models/xgboost_model.hpp"
#include "tests/support/alloc_counter.hpp"
#include "tests/support/xgboost_fixtures.hpp"

using namespace shoal;
using namespace shoal::xgb_test;

namespace {

const std::string prefix = "plant.toml: node 'p1.m': xgboost model ";

/// The error text of building `spec`, or "" if it builds.
std::string error_of(const node_spec& spec) {
  auto fn = make_fn(spec);
  return fn ? std::string{} : describe(fn.error());
}

std::string read(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  return {std::istreambuf_iterator<char>{in}, {}};
}

/// The reason a file is rejected with, for a node of `inputs` inputs.
std::string reason(const std::string& path, size_t inputs = 1) {
  auto text = error_of(model_node(path, inputs));
  auto head = prefix + path + ": ";
  EXPECT_EQ(text.rfind(head, 0), 0u) << text;
  return text.substr(std::min(head.size(), text.size()));
}

} // namespace

TEST(XgboostFn, RejectsMissingPathOtherParametersAndUnreadableFiles) {
  auto spec = model_node("", 1);
  EXPECT_EQ(error_of(spec),
            "plant.toml: node 'p1.m': xgboost model needs path");
  spec = model_node(fixture("sqerr_d1_t1.json"), 3);
  spec.weights = {1.0, 2.0, 3.0};
  EXPECT_EQ(error_of(spec),
            "plant.toml: node 'p1.m': xgboost model does not take 'weights'");
  EXPECT_EQ(reason("/nonexistent/m.json"),
            "cannot read file (No such file or directory)");
  EXPECT_EQ(reason(std::string{XGBOOST_FIXTURES}),
            "cannot read file (is a directory)");
  EXPECT_EQ(reason("/dev/zero"), "cannot read file (is not a regular file)");
}

TEST(XgboostFn, RejectsAFeatureCountThatDiffersFromTheInputs) {
  auto path = fixture("sqerr_d1_t1.json");
  EXPECT_EQ(reason(path, 5), "the model has 3 features but the node has 5 "
                             "inputs");
  EXPECT_EQ(error_of(model_node(path, 3)), "");
}

TEST(XgboostFn, RejectsUnsupportedObjectivesBoostersAndSplits) {
  for (auto ext : {".json", ".ubj"}) {
    auto multi = reason(fixture(std::string{"multiclass"} + ext), 4);
    EXPECT_EQ(multi, std::string{"objective 'multi:softprob' is not "
                                 "supported; supported: "}
                       + xgboost_model::supported_objectives());
    EXPECT_EQ(reason(fixture(std::string{"gblinear"} + ext), 4),
              "booster 'gblinear' is not supported; supported: gbtree");
    EXPECT_EQ(reason(fixture(std::string{"dart"} + ext), 4),
              "booster 'dart' is not supported; supported: gbtree");
    EXPECT_EQ(reason(fixture(std::string{"categorical"} + ext), 4)
                .rfind("categorical splits are not supported (tree ", 0),
              0u);
  }
}

TEST(XgboostFn, RejectsFilesThatAreNotXgboostModels) {
  EXPECT_EQ(reason(write_temp("empty.json", "")),
            "not an XGBoost model (neither JSON nor UBJSON)");
  EXPECT_EQ(reason(write_temp("m.bin", std::string("binf\0\0\0\x3f", 8))),
            "not an XGBoost model (neither JSON nor UBJSON)");
  EXPECT_EQ(reason(write_temp("other.json", R"({"layers": []})")),
            "not an XGBoost model (no 'learner' object)");
  auto json = read(fixture("sqerr_d1_t1.json"));
  auto cut = reason(write_temp("cut.json", json.substr(0, json.size() / 2)), 3);
  EXPECT_EQ(cut.rfind("not an XGBoost model (invalid JSON: ", 0), 0u) << cut;
  auto ubj = read(fixture("sqerr_d1_t1.ubj"));
  cut = reason(write_temp("cut.ubj", ubj.substr(0, ubj.size() / 2)), 3);
  EXPECT_EQ(cut.rfind("not an XGBoost model (invalid UBJSON: ", 0), 0u) << cut;
}

TEST(XgboostFn, RejectsCorruptModels) {
  auto reject = [](const model_text& m) {
    return reason(write_temp("bad.json", m.json()));
  };
  model_text m;
  m.trees[0].left = "[0, -1, -1]";
  EXPECT_EQ(reject(m), "corrupt model (tree 0: node 0 is reached twice)");
  m = model_text{};
  m.trees[0].right = "[9999, -1, -1]";
  EXPECT_EQ(reject(m), "corrupt model (tree 0: node 0 has child 9999 of 3 "
                       "nodes)");
  m = model_text{};
  m.trees[0].split_indices = "[7, 0, 0]";
  EXPECT_EQ(reject(m), "corrupt model (tree 0: node 0 splits on feature 7 "
                       "of 1)");
  m = model_text{};
  m.trees[0].conditions = "[1.0, 2.0]";
  EXPECT_EQ(reject(m),
            "corrupt model (tree 0: node arrays of different lengths)");
  m = model_text{};
  m.trees[0].default_left = R"(["yes", 0, 0])";
  EXPECT_EQ(reject(m),
            "corrupt model ('trees[0].default_left' holds a string)");
  m = model_text{};
  m.num_trees = "2";
  EXPECT_EQ(reject(m), "corrupt model (num_trees is 2 but 1 trees follow)");
  m = model_text{};
  m.num_feature = "one";
  EXPECT_EQ(reject(m), "corrupt model ('num_feature' is not an integer: "
                       "'one')");
  m = model_text{};
  m.objective = "binary:logistic";
  m.base_score = "1.5";
  EXPECT_EQ(reject(m), "base_score 1.500000 is out of range for objective "
                       "'binary:logistic'");
}

TEST(XgboostFn, ReportsAWrongNumberOfArgumentsAsAnError) {
  auto fn = make_fn(model_node(fixture("sqerr_d1_t1.json"), 3));
  ASSERT_TRUE(fn) << describe(fn.error());
  double args[2] = {1, 2};
  double out = 0;
  std::string err;
  EXPECT_EQ((*fn)->call(1, args, 2, out, err), fn_status::error);
  EXPECT_EQ(err, "xgboost model has 3 features but got 2 inputs");
}

TEST(XgboostFn, AThousandNodesShareOneModel) {
  auto path = fixture("sqerr_d6_t100.json");
  ASSERT_EQ(process_model_cache().size(), 0u);
  std::vector<node_fn_ptr> fns;
  fns.reserve(1000);
  auto first = make_fn(model_node(path, 8));
  ASSERT_TRUE(first) << describe(first.error());
  fns.push_back(std::move(*first));
  // The cache hands out the model the first node loaded.
  auto model = process_model_cache().get<xgboost_model>("xgboost", path,
                                                        load_xgboost_model);
  ASSERT_TRUE(model);
  auto model_bytes = (*model)->memory_bytes();
  auto before = test_support::live_heap_bytes();
  for (int i = 1; i < 1000; ++i) {
    auto fn = make_fn(model_node(path, 8));
    ASSERT_TRUE(fn);
    fns.push_back(std::move(*fn));
  }
  auto per_node
    = static_cast<size_t>(test_support::live_heap_bytes() - before) / 999;
  EXPECT_EQ(process_model_cache().size(), 1u);
  // A node holds its scratch row and a handle, nothing of the model.
  auto own = fns.back()->memory_bytes();
  EXPECT_LE(own, 128u);
  EXPECT_LE(per_node, 2 * own)
    << per_node << " bytes per node, model " << model_bytes;
  EXPECT_GT(model_bytes, 100 * own);
  fns.clear();
  model = caf::error{};
  EXPECT_EQ(process_model_cache().size(), 0u);
}

TEST(XgboostFn, LoadsThroughTheModelCacheOfItsContext) {
  // A cache handed in holds the model; the process's stays untouched.
  auto path = fixture("sqerr_d6_t100.json");
  model_cache mine;
  fn_context ctx;
  ctx.models = &mine;
  auto a = make_fn(model_node(path, 8), ctx);
  ASSERT_TRUE(a) << describe(a.error());
  auto b = make_fn(model_node(path, 8), ctx);
  ASSERT_TRUE(b) << describe(b.error());
  EXPECT_EQ(mine.size(), 1u);
  EXPECT_EQ(process_model_cache().size(), 0u);
  a = caf::error{};
  b = caf::error{};
  EXPECT_EQ(mine.size(), 0u);
}

TEST(XgboostFn, AllocatesNothingPerCall) {
  auto fn = make_fn(model_node(fixture("sqerr_d6_t100.json"), 8));
  ASSERT_TRUE(fn) << describe(fn.error());
  std::vector<double> args(8);
  std::string err;
  double out = 0;
  double sum = 0;
  auto before = test_support::heap_allocations();
  for (int i = 0; i < 10000; ++i) {
    for (size_t j = 0; j < args.size(); ++j)
      args[j] = (i % 7 == 0 && j == 3) ? NAN : (i * 0.37 - j * 11.0);
    ASSERT_EQ((*fn)->call(i, args.data(), args.size(), out, err),
              fn_status::value);
    sum += out;
  }
  EXPECT_EQ(test_support::heap_allocations(), before);
  EXPECT_TRUE(std::isfinite(sum));
}
