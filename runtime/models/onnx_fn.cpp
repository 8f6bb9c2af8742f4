#include "runtime/models/onnx_fn.hpp"

#include <memory>
#include <string>
#include <vector>

#include "runtime/core/errc.hpp"
#include "runtime/graph/graph_error.hpp"
#include "runtime/models/model_cache.hpp"
#include "runtime/models/model_file.hpp"
#include "runtime/models/onnx_model.hpp"

namespace shoal {

namespace {

class onnx_fn final : public node_fn {
public:
  explicit onnx_fn(std::shared_ptr<const onnx_model> model)
    : model_(std::move(model)), scratch_(model_->scratch_floats()),
      acc_(model_->scratch_doubles()) {
    // nop
  }

  fn_status call(int64_t, const double* args, size_t n, double& out,
                 std::string& err) override {
    if (n != model_->input_count()) {
      err = "onnx model expects " + std::to_string(model_->input_count())
            + " inputs but got " + std::to_string(n);
      return fn_status::error;
    }
    for (size_t i = 0; i < n; ++i)
      scratch_[i] = static_cast<float>(args[i]);
    out = model_->run(scratch_.data(), acc_.data());
    return fn_status::value;
  }

  size_t memory_bytes() const override {
    // The model is shared: only the scratch arena is this node's own.
    return sizeof(*this) + scratch_.capacity() * sizeof(float)
           + acc_.capacity() * sizeof(double);
  }

private:
  std::shared_ptr<const onnx_model> model_;
  std::vector<float> scratch_;
  std::vector<double> acc_;
};

} // namespace

caf::expected<node_fn_ptr> make_onnx_fn(const node_spec& spec,
                                        model_cache& models) {
  if (spec.path.empty())
    return node_error(spec, "onnx model needs path");
  auto what = "onnx model " + spec.path + ": ";
  auto content = model_content(spec);
  if (!content)
    return node_error(spec, what + describe(content.error()));
  model_cache::compiler<onnx_model> compile = [](const std::string& bytes) {
    return onnx_model::parse(bytes.data(), bytes.size());
  };
  auto model = models.get<onnx_model>("onnx", *content, compile);
  if (!model)
    return node_error(spec, what + describe(model.error()));
  auto k = (*model)->input_count();
  if (k != spec.needs.size())
    return node_error(spec, what + "expects " + std::to_string(k)
                              + " inputs but the node has "
                              + std::to_string(spec.needs.size()));
  return std::make_unique<onnx_fn>(std::move(*model));
}

} // namespace shoal
