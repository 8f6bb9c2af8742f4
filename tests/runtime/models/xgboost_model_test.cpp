// Agreement with XGBoost itself: every fixture model of
// tests/fixtures/make_xgboost_fixtures.py, in JSON and UBJSON, against the
// predictions Python's predict() wrote and against the C API on the same rows.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>
#include <xgboost/c_api.h>

#include "runtime/core/errc.hpp"
#include "runtime/functions/fn_factory.hpp"
#include "runtime/graph/graph_spec.hpp"
#include "runtime/models/xgboost_model.hpp"
#include "tests/support/xgboost_fixtures.hpp"

using namespace shoal;
using namespace shoal::xgb_test;

namespace {

/// Runs XGBoost's in-place prediction over `rows` (float64, as Python gave
/// them to its DMatrix) with `iteration_end` (0: all trees).
std::vector<float> c_api_predict(const std::string& model_path,
                                 const fixture_rows& rows,
                                 int64_t iteration_end) {
  BoosterHandle h = nullptr;
  EXPECT_EQ(XGBoosterCreate(nullptr, 0, &h), 0) << XGBGetLastError();
  EXPECT_EQ(XGBoosterSetParam(h, "nthread", "1"), 0);
  EXPECT_EQ(XGBoosterLoadModel(h, model_path.c_str()), 0) << XGBGetLastError();
  char values[256];
  std::snprintf(values, sizeof(values),
                R"({"data": [%zu, true], "shape": [%zu, %zu], )"
                R"("typestr": "<f8", "version": 3})",
                reinterpret_cast<size_t>(rows.x.data()), rows.count(),
                rows.features);
  auto config = R"({"type": 0, "training": false, "iteration_begin": 0, )"
                R"("iteration_end": )"
                + std::to_string(iteration_end)
                + R"(, "strict_shape": false, "cache_id": 0, "missing": NaN})";
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* out = nullptr;
  EXPECT_EQ(XGBoosterPredictFromDense(h, values, config.c_str(), nullptr,
                                      &shape, &dim, &out),
            0)
    << XGBGetLastError();
  std::vector<float> res;
  if (out != nullptr)
    res.assign(out, out + rows.count());
  XGBoosterFree(h);
  return res;
}

/// Shoal's predictions, through the node function as the runtime calls it.
std::vector<float> shoal_predict(const std::string& path, size_t features,
                                 const fixture_rows& rows) {
  auto fn = make_fn(model_node(path, features));
  EXPECT_TRUE(fn) << describe(fn.error());
  std::vector<float> res;
  if (!fn)
    return res;
  std::string err;
  for (size_t i = 0; i < rows.count(); ++i) {
    double out = NAN;
    EXPECT_EQ((*fn)->call(1, rows.row(i), rows.features, out, err),
              fn_status::value)
      << err;
    res.push_back(static_cast<float>(out));
  }
  return res;
}

/// Counts rows whose values differ as float32 (NaN equals NaN), and
/// reports the first few.
size_t mismatches(const std::string& what, const fixture_rows& rows,
                  const std::vector<float>& got,
                  const std::vector<float>& want) {
  EXPECT_EQ(got.size(), want.size()) << what;
  size_t n = 0;
  for (size_t i = 0; i < std::min(got.size(), want.size()); ++i) {
    if (got[i] == want[i] || (std::isnan(got[i]) && std::isnan(want[i])))
      continue;
    if (++n <= 3)
      ADD_FAILURE() << what << " row " << i << " (" << rows.describe(i)
                    << "): got " << got[i] << ", want " << want[i];
  }
  return n;
}

} // namespace

TEST(XgboostModel, FixturesCoverTheRequiredObjectivesAndShapes) {
  auto models = manifest();
  ASSERT_GE(models.size(), 15u);
  std::set<std::string> objectives;
  size_t min_trees = SIZE_MAX, max_trees = 0, min_depth = SIZE_MAX;
  size_t max_depth = 0;
  for (const auto& m : models) {
    objectives.insert(m.objective);
    auto model = load_xgboost_model(fixture(m.name + ".json"));
    ASSERT_TRUE(model) << m.name << ": " << describe(model.error());
    EXPECT_EQ((*model)->num_features(), m.features) << m.name;
    EXPECT_EQ((*model)->objective(), m.objective) << m.name;
    min_trees = std::min(min_trees, (*model)->num_trees());
    max_trees = std::max(max_trees, (*model)->num_trees());
    for (auto d : tree_depths(fixture(m.name + ".json"))) {
      min_depth = std::min(min_depth, d);
      max_depth = std::max(max_depth, d);
    }
  }
  for (auto obj : {"reg:squarederror", "reg:logistic", "binary:logistic",
                   "binary:logitraw", "count:poisson"})
    EXPECT_EQ(objectives.count(obj), 1u) << obj;
  EXPECT_EQ(min_trees, 1u);
  EXPECT_GE(max_trees, 200u);
  EXPECT_EQ(min_depth, 1u);
  EXPECT_GE(max_depth, 8u);
}

TEST(XgboostModel, EqualsPythonPredictOnEveryFixtureInBothFormats) {
  for (const auto& m : manifest()) {
    auto rows = read_rows(fixture(m.name + ".csv"), m.features);
    ASSERT_GE(rows.count(), 1000u) << m.name;
    for (auto ext : {".json", ".ubj"}) {
      auto path = fixture(m.name + ext);
      auto what = m.name + ext;
      // XGBoost's arithmetic is float32 throughout and ours repeats it
      // operation for operation, so the values must be identical, not near.
      EXPECT_EQ(mismatches(what, rows, shoal_predict(path, m.features, rows),
                           rows.pred),
                0u);
      auto model = load_xgboost_model(path);
      ASSERT_TRUE(model) << what;
      std::vector<float> margins;
      for (size_t i = 0; i < rows.count(); ++i) {
        auto x = rows.row_f32(i);
        margins.push_back((*model)->predict_margin(x.data()));
      }
      EXPECT_EQ(mismatches(what + " margin", rows, margins, rows.margin), 0u);
    }
  }
}

TEST(XgboostModel, EqualsTheCApiOnTheSameRows) {
  for (const auto& m : manifest()) {
    auto rows = read_rows(fixture(m.name + ".csv"), m.features);
    auto path = fixture(m.name + ".json");
    auto want = c_api_predict(path, rows, m.iteration_end);
    EXPECT_EQ(mismatches(m.name + " vs C API", rows,
                         shoal_predict(path, m.features, rows), want),
              0u);
  }
}

TEST(XgboostModel, EarlyStoppingUsesTheBestIterationLikePredict) {
  auto models = manifest();
  auto es = std::find_if(models.begin(), models.end(), [](const auto& m) {
    return m.name == "early_stopping";
  });
  ASSERT_NE(es, models.end());
  auto path = fixture("early_stopping.json");
  auto model = load_xgboost_model(path);
  ASSERT_TRUE(model);
  // One tree per round; the file holds more rounds than the best one.
  EXPECT_EQ((*model)->num_trees(), static_cast<size_t>(es->iteration_end));
  auto rows = read_rows(fixture("early_stopping.csv"), es->features);
  auto all_trees = c_api_predict(path, rows, 0);
  auto ours = shoal_predict(path, es->features, rows);
  ASSERT_EQ(all_trees.size(), ours.size());
  size_t differ = 0;
  for (size_t i = 0; i < ours.size(); ++i)
    differ += ours[i] != all_trees[i];
  EXPECT_GT(differ, rows.count() / 2) << "the fixture does not tell the two "
                                         "tree counts apart";
}

TEST(XgboostModel, FixtureRowsHitThresholdsMissingAndExtremeValues) {
  // The agreement tests above mean little unless the rows probe the edges.
  auto rows = read_rows(fixture("sqerr_d6_t100.csv"), 8);
  size_t nan = 0, huge = 0, subnormal = 0;
  for (double v : rows.x) {
    nan += std::isnan(v);
    huge += std::fabs(v) == 1e30;
    subnormal += std::fpclassify(static_cast<float>(v)) == FP_SUBNORMAL;
  }
  EXPECT_GT(nan, 100u);
  EXPECT_GT(huge, 50u);
  EXPECT_GT(subnormal, 50u);
  EXPECT_GT(threshold_hits(fixture("sqerr_d6_t100.json"), rows), 1000u);
}

TEST(XgboostModel, DamagedFilesAreRejectedOrStillEvaluate) {
  // Whatever a damaged file holds, loading either fails with a reason or
  // yields a model whose walk stays inside its trees.
  std::mt19937 rng{7};
  size_t loaded = 0, rejected = 0;
  for (auto file : {"binary_logistic_base03.json", "binary_logistic_base03.ubj",
                    "forest_p4_t3.ubj"}) {
    std::ifstream in{fixture(file), std::ios::binary};
    std::vector<uint8_t> orig{std::istreambuf_iterator<char>{in}, {}};
    ASSERT_FALSE(orig.empty()) << file;
    for (int i = 0; i < 300; ++i) {
      auto bytes = orig;
      for (int k = 0; k < 3; ++k) {
        auto pos = rng() % bytes.size();
        if (k == 2 && i % 4 == 0)
          bytes.resize(pos + 1);
        else
          bytes[pos] = "0123456789-.,[]{}\"$#LdliUN"[rng() % 28];
      }
      auto desc = parse_xgboost_model(bytes);
      auto model
        = desc
            ? xgboost_model::compile(*desc)
            : caf::expected<std::shared_ptr<const xgboost_model>>{desc.error()};
      if (!model) {
        ++rejected;
        EXPECT_FALSE(describe(model.error()).empty());
        continue;
      }
      ++loaded;
      std::vector<float> row((*model)->num_features(), 0.25f);
      row[0] = NAN;
      (*model)->predict(row.data());
    }
  }
  EXPECT_GT(loaded, 0u);
  EXPECT_GT(rejected, 0u);
}
