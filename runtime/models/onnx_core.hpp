// The compiled form of an ONNX graph, and the load-time helpers that the
// operator compilers share.
//
// `onnx_model` compiles a graph at load into an `onnx_core`: float tensors
// whose shapes are fixed for one row (batch N = 1), and steps in topological
// order. Constants (initializers) live in one contiguous array of the core;
// every other tensor lives in a scratch arena that each node function owns.
// After load a core is immutable and shared read-only by every node that uses
// the model; running a step reads constants and writes only scratch, without
// allocating. Load-time functions return errors as values; nothing here
// throws except `std::bad_alloc`, which `onnx_model` catches.

#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "caf/error.hpp"
#include "caf/expected.hpp"

namespace onnx {
class AttributeProto;
class NodeProto;
class TensorProto;
} // namespace onnx

namespace shoal {

/// Tensor dimensions.
using onnx_shape = std::vector<int64_t>;

/// An absent optional input or output.
constexpr uint32_t onnx_absent = UINT32_MAX;

/// Number of elements of a tensor of shape `s`.
int64_t onnx_size(const onnx_shape& s);

/// Renders `s` as "[1,8]".
std::string show_shape(const onnx_shape& s);

/// A tensor of the compiled graph.
struct onnx_value {
  enum kind_t : uint8_t {
    /// Lives in the scratch arena at `ref` (assigned at layout).
    scratch,
    /// Lives in `onnx_core::consts` at `ref`.
    constant,
    /// Shares the storage of value `ref` (Identity, Flatten, Reshape).
    alias,
    /// An integer constant (e.g. a Reshape shape) in `ints`; no float data.
    int_constant,
    /// A classifier's class labels; never computed, so nothing may use it.
    label,
  };
  onnx_shape shape;
  kind_t kind = scratch;
  uint32_t ref = 0;
  std::vector<int64_t> ints;
  /// Class probabilities (a classifier's scores, or a ZipMap of them).
  bool is_proba = false;
  /// A ZipMap output: only a graph output may use it.
  bool is_zipmap = false;
};

enum class onnx_op : uint8_t {
  gemm,
  binary,
  unary,
  softmax,
  concat,
  // ONNX-ML (onnx_trees.hpp) from here on.
  tree_ensemble,
  linear_ml,
  scaler,
  normalizer,
};

/// One operation of the plan. What `kind` and `param` mean depends on `op`.
struct onnx_step {
  onnx_op op;
  uint8_t kind = 0;
  uint32_t out = onnx_absent;
  uint32_t in_first = 0;
  uint32_t in_count = 0;
  uint32_t param = 0;
  /// Scalar attributes (LeakyRelu alpha, Clip bounds).
  float f0 = 0;
  float f1 = 0;
  /// Elements (element-wise steps) or rows (ML steps).
  int64_t count = 0;
  /// Doubles of scratch the step needs.
  int64_t acc = 0;
};

/// Tensors, constants and steps of a compiled graph.
struct onnx_core {
  std::vector<onnx_value> values;
  std::vector<float> consts;
  std::vector<onnx_step> steps;
  /// Inputs of all steps; a step uses [in_first, in_first + in_count).
  std::vector<uint32_t> operands;
  /// Opset of the default domain (load time only).
  int64_t opset = 0;

  uint32_t add_scratch(onnx_shape shape);
  uint32_t add_const(onnx_shape shape, const float* data);
  uint32_t add_alias(uint32_t of, onnx_shape shape);
  /// Appends a step whose inputs are `in`.
  onnx_step& add_step(onnx_op op, uint32_t out,
                      const std::vector<uint32_t>& in);
  /// The float data of value `v` if it is a constant, else nullptr.
  const float* const_data(uint32_t v) const;
  const onnx_shape& shape(uint32_t v) const {
    return values[v].shape;
  }
};

/// Where a running step finds its tensors.
struct onnx_memory {
  const onnx_core* core;
  float* scratch;
  double* acc;

  const float* in(uint32_t v) const {
    const auto& x = core->values[v];
    return x.kind == onnx_value::constant ? core->consts.data() + x.ref
                                          : scratch + x.ref;
  }
  float* out(uint32_t v) const {
    return scratch + core->values[v].ref;
  }
  uint32_t operand(const onnx_step& s, uint32_t i) const {
    return core->operands[s.in_first + i];
  }
};

// -- attributes and tensors ---------------------------------------------------

/// The attribute `name` of `n`, or nullptr.
const onnx::AttributeProto* find_attr(const onnx::NodeProto& n,
                                      std::string_view name);
float attr_float(const onnx::NodeProto& n, std::string_view name,
                 float fallback);
int64_t attr_int(const onnx::NodeProto& n, std::string_view name,
                 int64_t fallback);
std::string attr_string(const onnx::NodeProto& n, std::string_view name,
                        std::string fallback);
std::vector<float> attr_floats(const onnx::NodeProto& n, std::string_view name);
std::vector<int64_t> attr_ints(const onnx::NodeProto& n, std::string_view name);
std::vector<std::string> attr_strings(const onnx::NodeProto& n,
                                      std::string_view name);
/// A list of floats given either as `name` or as the tensor `name_as_tensor`.
caf::expected<std::vector<double>> attr_reals(const onnx::NodeProto& n,
                                              const std::string& name);

/// Decodes a float or double tensor as floats.
caf::expected<std::vector<float>> tensor_floats(const onnx::TensorProto& t);
/// Decodes an int64 or int32 tensor.
caf::expected<std::vector<int64_t>> tensor_ints(const onnx::TensorProto& t);
/// Adds an initializer or Constant tensor to `core` as a value.
caf::expected<uint32_t> add_tensor(onnx_core& core, const onnx::TensorProto& t);

/// Builds an error whose text is `reason` (the caller adds file and node).
caf::error onnx_error(std::string reason);

} // namespace shoal
