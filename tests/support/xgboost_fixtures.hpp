// Reading the fixtures of tests/fixtures/make_xgboost_fixtures.py: the
// manifest, the test rows with XGBoost's predictions, and node specs that
// use a fixture model.

#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/graph/graph_spec.hpp"

namespace shoal::xgb_test {

/// One line of manifest.csv.
struct fixture_model {
  std::string name;
  size_t features = 0;
  /// Rounds XGBoost's predict() used; 0 for all.
  int64_t iteration_end = 0;
  std::string objective;
};

/// Test rows of one model and what XGBoost's predict() returned for them.
struct fixture_rows {
  size_t features = 0;
  /// Row-major inputs as float64, NaN for missing.
  std::vector<double> x;
  std::vector<float> pred;
  std::vector<float> margin;

  size_t count() const {
    return pred.size();
  }

  const double* row(size_t i) const {
    return x.data() + i * features;
  }

  /// Row `i` converted to float32, as XGBoost converts it.
  std::vector<float> row_f32(size_t i) const;

  /// Row `i` as text, for failure messages.
  std::string describe(size_t i) const;
};

/// The directory the fixture script wrote (set by the build).
std::string fixture(const std::string& file);

/// The models of manifest.csv; fails the test if it is missing.
std::vector<fixture_model> manifest();

/// Reads NAME.csv of a model with `features` inputs.
fixture_rows read_rows(const std::string& path, size_t features);

/// Inputs of `rows` that equal, as float32, a split threshold of their
/// feature in the model at `model_path`.
size_t threshold_hits(const std::string& model_path, const fixture_rows& rows);

/// The depth of each tree of the model at `model_path` (a stump is 1).
std::vector<size_t> tree_depths(const std::string& model_path);

/// An `xgboost` model node "p1.m" of plant.toml with `inputs` inputs.
node_spec model_node(const std::string& path, size_t inputs);

/// One tree of a hand-written model, as the JSON text of its arrays. The
/// default is a stump: feature 0 < 1 goes left (-1), else right (2);
/// missing goes left.
struct tree_text {
  std::string left = "[1, -1, -1]";
  std::string right = "[2, -1, -1]";
  std::string split_indices = "[0, 0, 0]";
  std::string conditions = "[1.0, -1.0, 2.0]";
  std::string default_left = "[1, 0, 0]";
  std::string split_type = "[0, 0, 0]";
};

/// A hand-written model in XGBoost 1.7's JSON layout.
struct model_text {
  std::string booster = "gbtree";
  std::string objective = "reg:squarederror";
  std::string base_score = "5E-1";
  std::string num_feature = "1";
  std::string num_parallel_tree = "1";
  /// Defaults to the number of trees.
  std::string num_trees;
  /// The JSON object of learner attributes.
  std::string attributes = "{}";
  std::vector<tree_text> trees{tree_text{}};

  std::string json() const;
};

/// Writes `content` to a fresh file in a temporary directory of this test
/// process and returns its path.
std::string write_temp(const std::string& name, const std::string& content);

} // namespace shoal::xgb_test
