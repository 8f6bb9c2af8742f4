// The onnx node function: sharing one model between many nodes, and no heap
// allocation per call.

#include <cmath>
#include <cstdlib>
#include <gtest/gtest.h>
#include <string>
#include <vector>

#include "runtime/core/errc.hpp"
#include "runtime/functions/fn_factory.hpp"
#include "runtime/models/model_cache.hpp"
#include "runtime/models/onnx_model.hpp"
#include "tests/support/alloc_counter.hpp"

using namespace shoal;

namespace {

std::string fixture(const std::string& name) {
  return std::string{ONNX_FIXTURES} + "/" + name + ".onnx";
}

node_spec onnx_node(const std::string& name, size_t inputs) {
  node_spec s;
  s.name = "m";
  s.kind = node_kind::model;
  s.fn = "onnx";
  s.file = "g.toml";
  s.path = fixture(name);
  for (size_t i = 0; i < inputs; ++i)
    s.needs.push_back("in" + std::to_string(i));
  return s;
}

std::vector<double> row(size_t k) {
  std::vector<double> xs;
  for (size_t i = 0; i < k; ++i)
    xs.push_back(std::sin(1.0 + static_cast<double>(i)) * 2.0);
  return xs;
}

TEST(OnnxFn, ThousandNodesShareOneModel) {
  const size_t k = 5;
  auto spec = onnx_node("tree_regressor_sum", k);
  std::vector<node_fn_ptr> fns;
  for (int i = 0; i < 1000; ++i) {
    auto fn = make_fn(spec);
    ASSERT_TRUE(fn) << describe(fn.error());
    fns.push_back(std::move(*fn));
  }
  EXPECT_EQ(process_model_cache().size(), 1u);
  auto model = process_model_cache().get<onnx_model>("onnx", spec.path,
                                                     &onnx_model::load);
  ASSERT_TRUE(model);
  EXPECT_EQ(model->use_count(), 1001);
  // Each node adds only its scratch arena, a sliver of the shared model.
  auto own = fns[0]->memory_bytes();
  EXPECT_LE(own, 256u);
  EXPECT_GT((*model)->memory_bytes(), 20 * own);
  auto xs = row(k);
  std::string err;
  double first = 0;
  ASSERT_EQ(fns[0]->call(0, xs.data(), k, first, err), fn_status::value);
  for (auto& fn : fns) {
    double out = 0;
    ASSERT_EQ(fn->call(0, xs.data(), k, out, err), fn_status::value);
    EXPECT_EQ(out, first);
  }
  fns.clear();
  model->reset();
  EXPECT_EQ(process_model_cache().size(), 0u);
}

TEST(OnnxFn, AllocatesNothingPerCall) {
  struct use {
    const char* name;
    size_t k;
  };
  for (auto [name, k] :
       {use{"mlp_gemm", 8}, use{"gemm_variants", 6}, use{"arithmetic", 6},
        use{"reshape_constant", 8}, use{"tree_classifier_multi", 5},
        use{"linear_classifier_multi", 6}, use{"scaler_l2", 6}}) {
    auto fn = make_fn(onnx_node(name, k));
    ASSERT_TRUE(fn) << describe(fn.error());
    auto xs = row(k);
    std::string err;
    double out = 0;
    ASSERT_EQ((*fn)->call(0, xs.data(), k, out, err), fn_status::value);
    auto before = test_support::heap_allocations();
    for (int i = 0; i < 1000; ++i) {
      xs[static_cast<size_t>(i) % k] += 0.25;
      ASSERT_EQ((*fn)->call(0, xs.data(), k, out, err), fn_status::value);
    }
    EXPECT_EQ(test_support::heap_allocations(), before) << name;
    EXPECT_TRUE(std::isfinite(out)) << name;
  }
}

TEST(OnnxFn, ReportsAWrongArgumentCountAsACallError) {
  auto fn = make_fn(onnx_node("mlp_gemm", 8));
  ASSERT_TRUE(fn) << describe(fn.error());
  auto xs = row(8);
  std::string err;
  double out = 0;
  EXPECT_EQ((*fn)->call(0, xs.data(), 7, out, err), fn_status::error);
  EXPECT_EQ(err, "onnx model expects 8 inputs but got 7");
}

} // namespace
