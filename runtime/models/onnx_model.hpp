// An ONNX model compiled for evaluating one row at a time.
//
// `onnx_model::load` parses an `.onnx` file (with the protobuf classes of
// Debian's libonnx) and compiles its graph into an immutable plan: steps in
// topological order over float32 tensors whose shapes are resolved for a
// batch of one, constants copied into one contiguous array, attributes
// decoded, tree ensembles flattened. Only the steps that the prediction needs
// are kept. The graph must have one float input `[N, k]` (or `[1, k]`); the
// prediction is the first element of the first output, or, when that output
// is a classifier's label, the probability of class index 1 from the
// probability output (a tensor or a ZipMap). A graph outside what Shoal
// supports is rejected with an error that names the reason.
//
// A model is immutable after load and safe to share between threads; every
// user brings its own scratch arena (`scratch_floats()` floats and
// `scratch_doubles()` doubles) and `run` writes only there.

#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "caf/expected.hpp"

namespace shoal {

struct onnx_plan;

class onnx_model {
public:
  /// Loads and compiles the model at `path`. Errors are `invalid_graph`
  /// errors whose text is the bare reason, e.g. "unsupported operator 'Conv'
  /// (node 'conv1')" or "cannot parse file".
  static caf::expected<std::shared_ptr<const onnx_model>>
  load(const std::string& path);

  /// Compiles a serialized `ModelProto`.
  static caf::expected<std::shared_ptr<const onnx_model>>
  parse(const void* data, size_t size);

  explicit onnx_model(std::unique_ptr<onnx_plan> plan);

  ~onnx_model();

  /// The `k` of the input `[N, k]`: how many inputs a node must have.
  size_t input_count() const {
    return inputs_;
  }

  /// Floats of scratch a user needs; the input row goes to `scratch[0..k)`.
  size_t scratch_floats() const {
    return floats_;
  }

  /// Doubles of accumulator scratch a user needs.
  size_t scratch_doubles() const {
    return doubles_;
  }

  /// Number of compiled steps.
  size_t step_count() const;

  /// Bytes of the plan: constants, steps, tree arrays.
  size_t memory_bytes() const;

  /// Evaluates the model on the row in `scratch[0..k)` and returns the
  /// prediction. Allocates nothing.
  float run(float* scratch, double* acc) const;

private:
  std::unique_ptr<onnx_plan> plan_;
  size_t inputs_ = 0;
  size_t floats_ = 0;
  size_t doubles_ = 0;
};

} // namespace shoal
