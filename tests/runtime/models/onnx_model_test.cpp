// ONNX models against the numpy reference of
// tests/fixtures/make_onnx_fixtures.py, and every load-time rejection with its
// message.

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/core/errc.hpp"
#include "runtime/functions/fn_factory.hpp"
#include "runtime/models/onnx_model.hpp"

using namespace shoal;

namespace {

std::string fixture(const std::string& name) {
  return std::string{ONNX_FIXTURES} + "/" + name + ".onnx";
}

node_spec onnx_node(const std::string& path, size_t inputs) {
  node_spec s;
  s.name = "m";
  s.kind = node_kind::model;
  s.fn = "onnx";
  s.file = "g.toml";
  s.path = path;
  for (size_t i = 0; i < inputs; ++i)
    s.needs.push_back("in" + std::to_string(i));
  return s;
}

/// Inputs and expected prediction of each fixture row.
struct table {
  std::vector<std::vector<double>> rows;
  std::vector<double> expected;
};

table read_table(const std::string& name) {
  table t;
  std::ifstream in{std::string{ONNX_FIXTURES} + "/" + name + ".csv"};
  std::string line;
  std::getline(in, line); // header
  while (std::getline(in, line)) {
    std::vector<double> xs;
    std::istringstream fields{line};
    std::string field;
    while (std::getline(fields, field, ','))
      xs.push_back(std::strtod(field.c_str(), nullptr));
    t.expected.push_back(xs.back());
    xs.pop_back();
    t.rows.push_back(std::move(xs));
  }
  return t;
}

/// How close a prediction must be: dense nets compute in another order than
/// numpy (relative 1e-5); trees are exact in float32, and within one float32
/// ulp after a transcendental post_transform (libm and numpy may differ).
enum class tolerance { dense, exact, ulp };

bool close(double got, double want, tolerance tol) {
  if (std::isnan(want) || std::isnan(got))
    return std::isnan(want) && std::isnan(got);
  if (std::isinf(want) || got == want)
    return got == want;
  switch (tol) {
    case tolerance::exact: return false;
    case tolerance::ulp: {
      auto w = static_cast<float>(want);
      return std::fabs(got - want) <= std::nextafter(w, INFINITY) - w;
    }
    case tolerance::dense: break;
  }
  return std::fabs(got - want) <= 1e-5 * std::max(1.0, std::fabs(want));
}

struct fixture_case {
  const char* name;
  tolerance tol;
};

void PrintTo(const fixture_case& c, std::ostream* os) {
  *os << c.name;
}

class OnnxFixture : public testing::TestWithParam<fixture_case> {};

TEST_P(OnnxFixture, MatchesNumpy) {
  auto [name, tol] = GetParam();
  auto t = read_table(name);
  ASSERT_GT(t.rows.size(), 1000u) << "no fixture rows for " << name;
  auto k = t.rows[0].size();
  auto fn = make_fn(onnx_node(fixture(name), k));
  ASSERT_TRUE(fn) << describe(fn.error());
  size_t bad = 0;
  std::string err;
  for (size_t i = 0; i < t.rows.size(); ++i) {
    double out = 0;
    ASSERT_EQ((*fn)->call(0, t.rows[i].data(), k, out, err), fn_status::value);
    if (!close(out, t.expected[i], tol) && ++bad <= 5)
      ADD_FAILURE() << name << " row " << i + 2 << ": got " << out << ", numpy "
                    << t.expected[i];
  }
  EXPECT_EQ(bad, 0u) << "of " << t.rows.size() << " rows";
}

INSTANTIATE_TEST_SUITE_P(
  Models, OnnxFixture,
  testing::Values(fixture_case{"mlp_gemm", tolerance::dense},
                  fixture_case{"mlp_matmul", tolerance::dense},
                  fixture_case{"mlp_old_opset", tolerance::dense},
                  fixture_case{"gemm_variants", tolerance::dense},
                  fixture_case{"activations", tolerance::dense},
                  fixture_case{"softmax_opset11", tolerance::dense},
                  fixture_case{"softmax_opset13", tolerance::dense},
                  fixture_case{"clip_opset6", tolerance::dense},
                  fixture_case{"clip_max_only", tolerance::dense},
                  fixture_case{"arithmetic", tolerance::dense},
                  fixture_case{"reshape_constant", tolerance::dense},
                  fixture_case{"tree_regressor_sum", tolerance::exact},
                  fixture_case{"tree_regressor_average", tolerance::exact},
                  fixture_case{"tree_regressor_min", tolerance::exact},
                  fixture_case{"tree_regressor_max", tolerance::exact},
                  fixture_case{"tree_regressor_double", tolerance::exact},
                  fixture_case{"tree_classifier_binary", tolerance::exact},
                  fixture_case{"tree_classifier_single", tolerance::ulp},
                  fixture_case{"tree_classifier_multi", tolerance::ulp},
                  fixture_case{"linear_regressor", tolerance::dense},
                  fixture_case{"linear_classifier_binary", tolerance::dense},
                  fixture_case{"linear_classifier_single", tolerance::dense},
                  fixture_case{"linear_classifier_multi", tolerance::dense},
                  fixture_case{"scaler_l2", tolerance::dense},
                  fixture_case{"scaler_max", tolerance::dense},
                  fixture_case{"input_count_4", tolerance::dense}),
  [](const testing::TestParamInfo<fixture_case>& p) {
    return std::string{p.param.name};
  });

/// The error of building an onnx node for `path` with `inputs` inputs.
std::string rejection(const std::string& path, size_t inputs = 4) {
  auto fn = make_fn(onnx_node(path, inputs));
  if (fn) {
    ADD_FAILURE() << path << " was accepted";
    return {};
  }
  EXPECT_EQ(fn.error().code(), static_cast<uint8_t>(errc::invalid_graph));
  return describe(fn.error());
}

std::string reason(const std::string& name, size_t inputs = 4) {
  auto path = fixture(name);
  auto prefix = "g.toml: node 'm': onnx model " + path + ": ";
  auto text = rejection(path, inputs);
  if (text.compare(0, prefix.size(), prefix) != 0)
    return "unexpected prefix: " + text;
  return text.substr(prefix.size());
}

TEST(OnnxModel, RejectsWhatItCannotRunAndSaysWhy) {
  EXPECT_EQ(reason("reject_conv"),
            "unsupported operator 'Conv' (node 'conv1')");
  EXPECT_EQ(reason("reject_custom_domain"),
            "unsupported operator 'com.microsoft:FusedGemm' (node 'f')");
  EXPECT_EQ(reason("input_count_4", 3), "expects 4 inputs but the node has 3");
  EXPECT_EQ(reason("reject_two_inputs", 2),
            "the graph has 2 inputs ('a', 'b'); Shoal needs exactly one "
            "float input [N, k]");
  EXPECT_EQ(reason("reject_int_input"),
            "input 'x' is of type INT64; Shoal needs a float input [N, k]");
  EXPECT_EQ(reason("reject_unknown_k"),
            "input 'x' has an unknown number of features (K); it must be a "
            "fixed k");
  EXPECT_EQ(reason("reject_batch32"),
            "input 'x' has the fixed batch size 32; Shoal evaluates one row: "
            "use 1 or a symbolic N");
  EXPECT_EQ(reason("reject_matmul_shape", 5),
            "MatMul node 'mm': inner dimensions of [1,5] and [4,2] do not "
            "match");
  EXPECT_EQ(reason("reject_zipmap_not_last"),
            "Identity node 'after' uses the ZipMap output 'z'; ZipMap must be "
            "the last step");
  EXPECT_EQ(reason("reject_label_used"),
            "Identity node 'uses_label' uses the class labels 'label'; only "
            "probabilities are supported");
  EXPECT_EQ(reason("reject_no_probability"),
            "the output 'label' is a class label, and there is no probability "
            "output");
  EXPECT_EQ(reason("reject_tree_cycle", 5),
            "TreeEnsembleRegressor node #0: a tree has a cycle");
  EXPECT_EQ(reason("reject_tree_feature", 5),
            "TreeEnsembleRegressor node #0: a tree node uses feature 7, but "
            "the input has 5 features");
  EXPECT_EQ(reason("reject_softmax_single_score"),
            "LinearClassifier node #0: post_transform SOFTMAX needs a score "
            "per class");
  EXPECT_EQ(reason("reject_external_data"),
            "tensor 'w' keeps its data in an external file, which is not "
            "supported");
  EXPECT_EQ(reason("reject_clip_runtime_bound", 1),
            "Clip node #0: Clip bounds must be constant scalars");
  EXPECT_EQ(reason("reject_garbage"), "cannot parse file");
  EXPECT_EQ(reason("no_such_model"),
            "cannot read file: No such file or directory");
}

TEST(OnnxModel, RejectsAPathThatIsNotARegularFileWithoutThrowing) {
  // Once an uncaught "Is a directory" exception that killed the member.
  auto dir = rejection(ONNX_FIXTURES, 4);
  EXPECT_NE(dir.find("cannot read file: is a directory"), std::string::npos)
    << dir;
  auto dev = rejection("/dev/zero", 4);
  EXPECT_NE(dev.find("cannot read file: is not a regular file"),
            std::string::npos)
    << dev;
}

TEST(OnnxModel, RejectsParametersOfOtherKindsAndAMissingPath) {
  auto s = onnx_node(fixture("mlp_gemm"), 8);
  s.weights = {1.0};
  EXPECT_EQ(describe(make_fn(s).error()),
            "g.toml: node 'm': onnx model does not take 'weights'");
  s = onnx_node("", 8);
  EXPECT_EQ(describe(make_fn(s).error()),
            "g.toml: node 'm': onnx model needs path");
}

TEST(OnnxModel, CompilesShapeOnlyOpsAwayAndPrunesUnusedOutputs) {
  // Gemm, Relu, Gemm, Sigmoid.
  auto mlp = onnx_model::load(fixture("mlp_gemm"));
  ASSERT_TRUE(mlp) << describe(mlp.error());
  EXPECT_EQ((*mlp)->step_count(), 4u);
  EXPECT_EQ((*mlp)->input_count(), 8u);
  // Reshape and Flatten alias their input: only Softmax and MatMul run.
  auto soft = onnx_model::load(fixture("softmax_opset13"));
  ASSERT_TRUE(soft) << describe(soft.error());
  EXPECT_EQ((*soft)->step_count(), 2u);
  // The classifier's label is never computed; ZipMap is free.
  auto cls = onnx_model::load(fixture("tree_classifier_binary"));
  ASSERT_TRUE(cls) << describe(cls.error());
  EXPECT_EQ((*cls)->step_count(), 1u);
}

} // namespace
