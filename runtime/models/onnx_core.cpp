#include "runtime/models/onnx_core.hpp"

#include <cstdint>
#include <cstring>
#include <onnx/onnx_pb.h>

#include "runtime/core/errc.hpp"

namespace shoal {

int64_t onnx_size(const onnx_shape& s) {
  // Saturates, so that absurd shapes fail the size checks instead of
  // overflowing.
  int64_t n = 1;
  for (auto d : s)
    n = d > 0 && n > INT64_MAX / d ? INT64_MAX : n * d;
  return n;
}

std::string show_shape(const onnx_shape& s) {
  std::string str = "[";
  for (size_t i = 0; i < s.size(); ++i) {
    if (i > 0)
      str += ',';
    str += std::to_string(s[i]);
  }
  return str + ']';
}

caf::error onnx_error(std::string reason) {
  return make_error(errc::invalid_graph, std::move(reason));
}

// -- onnx_core ----------------------------------------------------------------

uint32_t onnx_core::add_scratch(onnx_shape shape) {
  onnx_value v;
  v.shape = std::move(shape);
  values.push_back(std::move(v));
  return static_cast<uint32_t>(values.size() - 1);
}

uint32_t onnx_core::add_const(onnx_shape shape, const float* data) {
  auto n = static_cast<size_t>(onnx_size(shape));
  auto v = add_scratch(std::move(shape));
  values[v].kind = onnx_value::constant;
  values[v].ref = static_cast<uint32_t>(consts.size());
  consts.insert(consts.end(), data, data + n);
  return v;
}

uint32_t onnx_core::add_alias(uint32_t of, onnx_shape shape) {
  auto v = add_scratch(std::move(shape));
  values[v].kind = onnx_value::alias;
  values[v].ref = of;
  return v;
}

onnx_step& onnx_core::add_step(onnx_op op, uint32_t out,
                               const std::vector<uint32_t>& in) {
  onnx_step s;
  s.op = op;
  s.out = out;
  s.in_first = static_cast<uint32_t>(operands.size());
  s.in_count = static_cast<uint32_t>(in.size());
  operands.insert(operands.end(), in.begin(), in.end());
  steps.push_back(s);
  return steps.back();
}

const float* onnx_core::const_data(uint32_t v) const {
  while (values[v].kind == onnx_value::alias)
    v = values[v].ref;
  return values[v].kind == onnx_value::constant ? consts.data() + values[v].ref
                                                : nullptr;
}

// -- attributes ---------------------------------------------------------------

const onnx::AttributeProto* find_attr(const onnx::NodeProto& n,
                                      std::string_view name) {
  for (const auto& a : n.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

float attr_float(const onnx::NodeProto& n, std::string_view name,
                 float fallback) {
  auto* a = find_attr(n, name);
  return a != nullptr && a->has_f() ? a->f() : fallback;
}

int64_t attr_int(const onnx::NodeProto& n, std::string_view name,
                 int64_t fallback) {
  auto* a = find_attr(n, name);
  return a != nullptr && a->has_i() ? a->i() : fallback;
}

std::string attr_string(const onnx::NodeProto& n, std::string_view name,
                        std::string fallback) {
  auto* a = find_attr(n, name);
  return a != nullptr && a->has_s() ? a->s() : fallback;
}

std::vector<float> attr_floats(const onnx::NodeProto& n,
                               std::string_view name) {
  auto* a = find_attr(n, name);
  if (a == nullptr)
    return {};
  return {a->floats().begin(), a->floats().end()};
}

std::vector<int64_t> attr_ints(const onnx::NodeProto& n,
                               std::string_view name) {
  auto* a = find_attr(n, name);
  if (a == nullptr)
    return {};
  return {a->ints().begin(), a->ints().end()};
}

std::vector<std::string> attr_strings(const onnx::NodeProto& n,
                                      std::string_view name) {
  auto* a = find_attr(n, name);
  if (a == nullptr)
    return {};
  return {a->strings().begin(), a->strings().end()};
}

caf::expected<std::vector<double>> attr_reals(const onnx::NodeProto& n,
                                              const std::string& name) {
  if (auto* a = find_attr(n, name + "_as_tensor"); a != nullptr && a->has_t()) {
    const auto& t = a->t();
    if (t.data_type() == onnx::TensorProto::DOUBLE && t.raw_data().empty())
      return std::vector<double>{t.double_data().begin(),
                                 t.double_data().end()};
    if (t.data_type() == onnx::TensorProto::DOUBLE) {
      std::vector<double> xs(t.raw_data().size() / sizeof(double));
      std::memcpy(xs.data(), t.raw_data().data(), xs.size() * sizeof(double));
      return xs;
    }
    auto fs = tensor_floats(t);
    if (!fs)
      return std::move(fs.error());
    return std::vector<double>{fs->begin(), fs->end()};
  }
  auto fs = attr_floats(n, name);
  return std::vector<double>{fs.begin(), fs.end()};
}

// -- tensors ------------------------------------------------------------------

namespace {

template <class T, class Field>
std::vector<T> decode(const onnx::TensorProto& t, const Field& field) {
  if (t.raw_data().empty())
    return {field.begin(), field.end()};
  // raw_data is little-endian, like every machine Shoal runs on.
  std::vector<T> xs(t.raw_data().size() / sizeof(T));
  std::memcpy(xs.data(), t.raw_data().data(), xs.size() * sizeof(T));
  return xs;
}

caf::error check_stored(const onnx::TensorProto& t) {
  if (t.data_location() == onnx::TensorProto::EXTERNAL)
    return onnx_error("tensor '" + t.name()
                      + "' keeps its data in an external file, which is not "
                        "supported");
  return caf::none;
}

} // namespace

caf::expected<std::vector<float>> tensor_floats(const onnx::TensorProto& t) {
  if (auto err = check_stored(t))
    return err;
  switch (t.data_type()) {
    case onnx::TensorProto::FLOAT: return decode<float>(t, t.float_data());
    case onnx::TensorProto::DOUBLE: {
      auto xs = decode<double>(t, t.double_data());
      return std::vector<float>{xs.begin(), xs.end()};
    }
    default:
      return onnx_error(
        "tensor '" + t.name() + "' is of type "
        + onnx::TensorProto::DataType_Name(
          static_cast<onnx::TensorProto::DataType>(t.data_type()))
        + "; only float tensors are supported");
  }
}

caf::expected<std::vector<int64_t>> tensor_ints(const onnx::TensorProto& t) {
  if (auto err = check_stored(t))
    return err;
  if (t.data_type() == onnx::TensorProto::INT64)
    return decode<int64_t>(t, t.int64_data());
  if (t.data_type() == onnx::TensorProto::INT32) {
    auto xs = decode<int32_t>(t, t.int32_data());
    return std::vector<int64_t>{xs.begin(), xs.end()};
  }
  return onnx_error("tensor '" + t.name() + "' is not an integer tensor");
}

caf::expected<uint32_t> add_tensor(onnx_core& core,
                                   const onnx::TensorProto& t) {
  onnx_shape shape{t.dims().begin(), t.dims().end()};
  for (auto d : shape)
    if (d <= 0)
      return onnx_error("tensor '" + t.name() + "' has the empty shape "
                        + show_shape(shape));
  auto expect = static_cast<size_t>(onnx_size(shape));
  auto type = t.data_type();
  if (type == onnx::TensorProto::INT64 || type == onnx::TensorProto::INT32) {
    auto xs = tensor_ints(t);
    if (!xs)
      return std::move(xs.error());
    if (xs->size() != expect)
      return onnx_error("tensor '" + t.name() + "' has "
                        + std::to_string(xs->size()) + " values for shape "
                        + show_shape(shape));
    auto v = core.add_scratch(std::move(shape));
    core.values[v].kind = onnx_value::int_constant;
    core.values[v].ints = std::move(*xs);
    return v;
  }
  auto xs = tensor_floats(t);
  if (!xs)
    return std::move(xs.error());
  if (xs->size() != expect)
    return onnx_error("tensor '" + t.name() + "' has "
                      + std::to_string(xs->size()) + " values for shape "
                      + show_shape(shape));
  return core.add_const(std::move(shape), xs->data());
}

} // namespace shoal
