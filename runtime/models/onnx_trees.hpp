// The ONNX-ML operators of compiled ONNX models: TreeEnsembleRegressor and
// TreeEnsembleClassifier with the post transforms they share with the linear
// models (`onnx_trees.cpp`); LinearRegressor, LinearClassifier, Scaler,
// Normalizer and ZipMap (`onnx_ml.cpp`).
//
// Tree ensembles are flattened at load into compact arrays (one node record
// per tree node, leaf weights contiguous per leaf) and checked: children in
// range, no cycles, features within the input. A classifier computes only its
// scores; its label output is never computed. Like the dense steps, ML steps
// write only scratch and never allocate. Semantics follow the ONNX-ML spec,
// with one decision: a binary classifier with a single score column s gives
// the probabilities [1 - p, p], p = post_transform(s) (see docs/models.md).

#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "runtime/models/onnx_core.hpp"

namespace shoal {

enum class onnx_post : uint8_t {
  none,
  logistic,
  softmax,
  softmax_zero,
  probit
};

enum class onnx_aggregate : uint8_t { sum, average, min, max };

/// How an ML op turns raw scores into its output columns.
struct onnx_scores {
  /// Score columns before a single binary score is expanded to two.
  uint32_t scores = 0;
  onnx_post post = onnx_post::none;
  /// A binary classifier with one score column: the output is [1 - p, p].
  bool single_score = false;

  uint32_t columns() const {
    return single_score ? 2 : scores;
  }
};

struct onnx_tree_node {
  double threshold;
  uint32_t feature;
  /// Branch: the next node when the test holds, and when it does not. Leaf:
  /// the first weight and the number of weights.
  uint32_t next_true;
  uint32_t next_false;
  uint8_t mode;
  uint8_t missing_true;
};

struct onnx_tree_weight {
  uint32_t target;
  double weight;
};

struct onnx_tree_ensemble : onnx_scores {
  std::vector<onnx_tree_node> nodes;
  std::vector<uint32_t> roots;
  std::vector<onnx_tree_weight> weights;
  /// One per score column.
  std::vector<double> base;
  int64_t features = 0;
  onnx_aggregate aggregate = onnx_aggregate::sum;
};

struct onnx_linear : onnx_scores {
  /// scores x features, row-major.
  std::vector<double> coef;
  std::vector<double> intercepts;
  int64_t features = 0;
};

struct onnx_scaler {
  std::vector<double> offset;
  std::vector<double> scale;
  int64_t features = 0;
};

/// Parameter tables of the ML steps.
struct onnx_ml_tables {
  std::vector<onnx_tree_ensemble> trees;
  std::vector<onnx_linear> linears;
  std::vector<onnx_scaler> scalers;

  size_t memory_bytes() const;
};

/// Whether `op` (of domain ai.onnx.ml) is an ML operator we support.
bool is_ml_op(std::string_view op);

/// Compiles node `n` of an ML op; see `compile_dense`.
caf::error compile_ml(const onnx::NodeProto& n, const std::vector<uint32_t>& in,
                      onnx_core& core, onnx_ml_tables& tables,
                      std::vector<uint32_t>& out);

/// Runs an ML step.
void run_ml(const onnx_step& s, const onnx_ml_tables& tables,
            const onnx_memory& mem);

// -- shared by onnx_trees.cpp and onnx_ml.cpp ---------------------------------

/// Reads `post_transform`.
caf::expected<onnx_post> parse_post(const onnx::NodeProto& n);

/// Reads an ML op's input shape `[N, features]` or `[features]`.
caf::error rows_of(const onnx_shape& s, int64_t& rows, int64_t& features);

/// Sets `e.scores` and `e.single_score` from the class labels (classifier)
/// or target count (regressor) of `n`, and reads `base_values` into `base`.
/// `ids` are the class or target ids of the op's weights; they are checked,
/// and remapped to 0 for a single binary score.
caf::error resolve_scores(const onnx::NodeProto& n, bool classifier,
                          std::vector<int64_t>& ids, onnx_scores& e,
                          std::vector<double>& base);

/// Adds the values (label and scores for a classifier) and the step of an
/// ML op with input `in`.
onnx_step& add_ml_step(uint32_t in, onnx_core& core, int64_t rows,
                       const onnx_scores& e, bool classifier, onnx_op op,
                       std::vector<uint32_t>& out);

/// Applies `e.post` to the raw scores `s[0..e.scores)` (overwriting them) and
/// writes the output row `z[0..e.columns())`.
void post_row(const onnx_scores& e, double* s, float* z);

caf::error compile_tree_ensemble(const onnx::NodeProto& n, uint32_t in,
                                 onnx_core& core, onnx_ml_tables& tables,
                                 std::vector<uint32_t>& out);

void run_tree_ensemble(const onnx_tree_ensemble& e, int64_t rows,
                       const float* x, float* z, double* acc);

} // namespace shoal
