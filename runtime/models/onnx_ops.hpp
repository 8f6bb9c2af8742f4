// The dense operators of compiled ONNX models: Gemm, MatMul, element-wise
// arithmetic with broadcasting (Add, Sub, Mul, Div), activations (Relu,
// Sigmoid, Tanh, LeakyRelu, Clip), Softmax, Concat, and the shape-only
// Identity, Flatten, Reshape and Constant, which alias or add tensors and
// cost nothing at run time.
//
// Compilation (`onnx_ops.cpp`) resolves shapes and decodes attributes once;
// the kernels (`onnx_kernels.cpp`) compute products in double and store
// float32, like every tensor of the plan.

#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "runtime/models/onnx_core.hpp"

namespace shoal {

// -- dense operators ----------------------------------------------------------

/// `onnx_step::kind` of binary and unary steps.
enum onnx_binary : uint8_t { onnx_add, onnx_sub, onnx_mul, onnx_div };
enum onnx_unary : uint8_t {
  onnx_relu,
  onnx_sigmoid,
  onnx_tanh,
  onnx_leaky_relu,
  onnx_clip
};

struct onnx_gemm {
  int64_t m, k, n;
  int64_t a_rs, a_cs, b_rs, b_cs, c_rs, c_cs;
  float alpha, beta;
};

struct onnx_broadcast {
  static constexpr int max_rank = 6;
  int rank = 0;
  /// No broadcasting: both inputs have the output's shape.
  bool same = false;
  int64_t dims[max_rank] = {};
  int64_t a_st[max_rank] = {};
  int64_t b_st[max_rank] = {};
};

struct onnx_softmax {
  int64_t outer, len, inner;
};

struct onnx_concat {
  int64_t outer;
  /// Elements each input adds per outer index.
  std::vector<int64_t> chunks;
};

/// Parameter tables of the dense steps.
struct onnx_dense_tables {
  std::vector<onnx_gemm> gemms;
  std::vector<onnx_broadcast> broadcasts;
  std::vector<onnx_softmax> softmaxes;
  std::vector<onnx_concat> concats;

  size_t memory_bytes() const;
};

/// Whether `op` (of the default domain) is a dense operator we support.
bool is_dense_op(std::string_view op);

/// Compiles node `n` of a dense op with input values `in` (onnx_absent for
/// omitted optional inputs) into `core`; writes its output values to `out`.
caf::error compile_dense(const onnx::NodeProto& n,
                         const std::vector<uint32_t>& in, onnx_core& core,
                         onnx_dense_tables& tables, std::vector<uint32_t>& out);

/// Runs a dense step.
void run_dense(const onnx_step& s, const onnx_dense_tables& tables,
               const onnx_memory& mem);

} // namespace shoal
