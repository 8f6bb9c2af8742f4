#include "runtime/models/onnx_ops.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <onnx/onnx_pb.h>

namespace shoal {

namespace {

/// Normalizes a possibly negative axis; -1 when out of range.
int64_t norm_axis(int64_t axis, size_t rank) {
  auto r = static_cast<int64_t>(rank);
  if (axis < 0)
    axis += r;
  return axis >= 0 && axis <= r ? axis : -1;
}

int64_t prod(const onnx_shape& s, size_t from, size_t to) {
  int64_t p = 1;
  for (size_t i = from; i < to; ++i)
    p *= s[i];
  return p;
}

caf::error compile_gemm(const onnx::NodeProto& n,
                        const std::vector<uint32_t>& in, onnx_core& core,
                        onnx_dense_tables& tables, std::vector<uint32_t>& out) {
  bool matmul = n.op_type() == "MatMul";
  auto sa = core.shape(in[0]);
  auto sb = core.shape(in[1]);
  onnx_gemm g{};
  g.alpha = matmul ? 1.f : attr_float(n, "alpha", 1.f);
  g.beta = matmul ? 1.f : attr_float(n, "beta", 1.f);
  bool ta = !matmul && attr_int(n, "transA", 0) != 0;
  bool tb = !matmul && attr_int(n, "transB", 0) != 0;
  onnx_shape shape;
  if (matmul) {
    if (sa.empty() || sa.size() > 2 || sb.empty() || sb.size() > 2)
      return onnx_error("MatMul of shapes " + show_shape(sa) + " and "
                        + show_shape(sb) + " is not supported (rank 1 or 2)");
    // A rank-1 operand is a row (A) or a column (B) that the output drops.
    if (sa.size() == 1)
      sa.insert(sa.begin(), 1);
    else
      shape.push_back(sa[0]);
    if (sb.size() == 1)
      sb.push_back(1);
    else
      shape.push_back(sb[1]);
  } else if (sa.size() != 2 || sb.size() != 2) {
    return onnx_error("Gemm needs 2-D inputs, got " + show_shape(sa) + " and "
                      + show_shape(sb));
  }
  g.m = ta ? sa[1] : sa[0];
  g.k = ta ? sa[0] : sa[1];
  g.n = tb ? sb[0] : sb[1];
  if ((tb ? sb[1] : sb[0]) != g.k)
    return onnx_error("inner dimensions of " + show_shape(core.shape(in[0]))
                      + " and " + show_shape(core.shape(in[1]))
                      + " do not match");
  if (!matmul)
    shape = {g.m, g.n};
  g.a_rs = ta ? 1 : g.k;
  g.a_cs = ta ? g.m : 1;
  uint32_t b = in[1];
  if (const float* bd = core.const_data(b); bd != nullptr && tb) {
    // Transpose a constant B once, so that the kernel reads it row by row.
    std::vector<float> t(static_cast<size_t>(g.k * g.n));
    for (int64_t p = 0; p < g.k; ++p)
      for (int64_t j = 0; j < g.n; ++j)
        t[p * g.n + j] = bd[j * g.k + p];
    b = core.add_const({g.k, g.n}, t.data());
    tb = false;
  }
  g.b_rs = tb ? 1 : g.n;
  g.b_cs = tb ? g.k : 1;
  std::vector<uint32_t> ins{in[0], b};
  if (in.size() > 2 && in[2] != onnx_absent) {
    const auto& sc = core.shape(in[2]);
    int64_t cm = sc.size() == 2 ? sc[0] : 1;
    int64_t cn = sc.empty() ? 1 : sc.back();
    if (sc.size() > 2 || (cm != 1 && cm != g.m) || (cn != 1 && cn != g.n))
      return onnx_error("C of shape " + show_shape(sc)
                        + " does not broadcast to " + show_shape({g.m, g.n}));
    g.c_rs = cm == 1 ? 0 : cn;
    g.c_cs = cn == 1 ? 0 : 1;
    ins.push_back(in[2]);
  }
  auto y = core.add_scratch(shape);
  auto& s = core.add_step(onnx_op::gemm, y, ins);
  s.param = static_cast<uint32_t>(tables.gemms.size());
  tables.gemms.push_back(g);
  out.push_back(y);
  return caf::none;
}

caf::error compile_binary(const onnx::NodeProto& n,
                          const std::vector<uint32_t>& in, onnx_core& core,
                          onnx_dense_tables& tables,
                          std::vector<uint32_t>& out) {
  const auto& op = n.op_type();
  uint8_t kind = op == "Add"   ? onnx_add
                 : op == "Sub" ? onnx_sub
                 : op == "Mul" ? onnx_mul
                               : onnx_div;
  const auto& sa = core.shape(in[0]);
  const auto& sb = core.shape(in[1]);
  onnx_broadcast p;
  p.rank = static_cast<int>(std::max(sa.size(), sb.size()));
  if (p.rank > onnx_broadcast::max_rank)
    return onnx_error("tensors of rank " + std::to_string(p.rank)
                      + " are not supported");
  onnx_shape shape(static_cast<size_t>(p.rank));
  int64_t sta = 1;
  int64_t stb = 1;
  for (int d = p.rank - 1; d >= 0; --d) {
    auto off_a = p.rank - static_cast<int>(sa.size());
    auto off_b = p.rank - static_cast<int>(sb.size());
    int64_t da = d >= off_a ? sa[static_cast<size_t>(d - off_a)] : 1;
    int64_t db = d >= off_b ? sb[static_cast<size_t>(d - off_b)] : 1;
    if (da != db && da != 1 && db != 1)
      return onnx_error("shapes " + show_shape(sa) + " and " + show_shape(sb)
                        + " do not broadcast");
    p.dims[d] = std::max(da, db);
    shape[static_cast<size_t>(d)] = p.dims[d];
    p.a_st[d] = da == 1 ? 0 : sta;
    p.b_st[d] = db == 1 ? 0 : stb;
    sta *= da;
    stb *= db;
  }
  p.same = sa == sb;
  auto y = core.add_scratch(shape);
  auto& s = core.add_step(onnx_op::binary, y, in);
  s.kind = kind;
  s.count = onnx_size(shape);
  s.param = static_cast<uint32_t>(tables.broadcasts.size());
  tables.broadcasts.push_back(p);
  out.push_back(y);
  return caf::none;
}

/// Reads an optional constant scalar input of Clip.
caf::error clip_bound(const onnx_core& core, const std::vector<uint32_t>& in,
                      size_t i, float& bound) {
  if (in.size() <= i || in[i] == onnx_absent)
    return caf::none;
  const float* d = core.const_data(in[i]);
  if (d == nullptr || onnx_size(core.shape(in[i])) != 1)
    return onnx_error("Clip bounds must be constant scalars");
  bound = d[0];
  return caf::none;
}

caf::error compile_unary(const onnx::NodeProto& n,
                         const std::vector<uint32_t>& in, onnx_core& core,
                         std::vector<uint32_t>& out) {
  const auto& op = n.op_type();
  float f0 = 0;
  float f1 = 0;
  uint8_t kind = onnx_relu;
  if (op == "Sigmoid") {
    kind = onnx_sigmoid;
  } else if (op == "Tanh") {
    kind = onnx_tanh;
  } else if (op == "LeakyRelu") {
    kind = onnx_leaky_relu;
    f0 = attr_float(n, "alpha", 0.01f);
  } else if (op == "Clip") {
    kind = onnx_clip;
    // Opset 6 gives the bounds as attributes (default: the float range),
    // opset 11 on as optional inputs (default: no bound).
    bool old = core.opset < 11;
    using lim = std::numeric_limits<float>;
    f0 = attr_float(n, "min", old ? lim::lowest() : -lim::infinity());
    f1 = attr_float(n, "max", old ? lim::max() : lim::infinity());
    if (auto err = clip_bound(core, in, 1, f0))
      return err;
    if (auto err = clip_bound(core, in, 2, f1))
      return err;
  }
  auto shape = core.shape(in[0]);
  auto y = core.add_scratch(shape);
  auto& s = core.add_step(onnx_op::unary, y, {in[0]});
  s.kind = kind;
  s.f0 = f0;
  s.f1 = f1;
  s.count = onnx_size(shape);
  out.push_back(y);
  return caf::none;
}

caf::error compile_softmax(const onnx::NodeProto& n,
                           const std::vector<uint32_t>& in, onnx_core& core,
                           onnx_dense_tables& tables,
                           std::vector<uint32_t>& out) {
  auto shape = core.shape(in[0]);
  // Before opset 13, Softmax flattens to 2-D at `axis` (default 1) and
  // normalizes each row; from 13 on, it normalizes along `axis` (default -1).
  bool old = core.opset < 13;
  auto axis = norm_axis(attr_int(n, "axis", old ? 1 : -1), shape.size());
  if (axis < 0 || (!old && axis == static_cast<int64_t>(shape.size())))
    return onnx_error("axis out of range for shape " + show_shape(shape));
  auto a = static_cast<size_t>(axis);
  onnx_softmax p{prod(shape, 0, a), old ? prod(shape, a, shape.size()) : 1, 1};
  if (!old) {
    p.len = shape[a];
    p.inner = prod(shape, a + 1, shape.size());
  }
  auto y = core.add_scratch(shape);
  auto& s = core.add_step(onnx_op::softmax, y, {in[0]});
  s.param = static_cast<uint32_t>(tables.softmaxes.size());
  s.acc = p.len;
  tables.softmaxes.push_back(p);
  out.push_back(y);
  return caf::none;
}

caf::error compile_concat(const onnx::NodeProto& n,
                          const std::vector<uint32_t>& in, onnx_core& core,
                          onnx_dense_tables& tables,
                          std::vector<uint32_t>& out) {
  auto shape = core.shape(in[0]);
  auto axis = norm_axis(attr_int(n, "axis", INT64_MAX), shape.size());
  if (axis < 0 || axis == static_cast<int64_t>(shape.size()))
    return onnx_error("Concat needs an axis within the rank of "
                      + show_shape(shape));
  auto a = static_cast<size_t>(axis);
  onnx_concat p{prod(shape, 0, a), {}};
  shape[a] = 0;
  for (auto v : in) {
    const auto& si = core.shape(v);
    bool fits = si.size() == shape.size();
    for (size_t d = 0; fits && d < si.size(); ++d)
      fits = d == a || si[d] == shape[d];
    if (!fits)
      return onnx_error("cannot concatenate " + show_shape(si) + " on axis "
                        + std::to_string(axis));
    shape[a] += si[a];
    p.chunks.push_back(prod(si, a, si.size()));
  }
  auto y = core.add_scratch(shape);
  auto& s = core.add_step(onnx_op::concat, y, in);
  s.param = static_cast<uint32_t>(tables.concats.size());
  tables.concats.push_back(std::move(p));
  out.push_back(y);
  return caf::none;
}

caf::error compile_reshape(const onnx::NodeProto& n,
                           const std::vector<uint32_t>& in, onnx_core& core,
                           std::vector<uint32_t>& out) {
  const auto& op = n.op_type();
  auto shape = core.shape(in[0]);
  auto size = onnx_size(shape);
  onnx_shape to;
  if (op == "Flatten") {
    auto axis = norm_axis(attr_int(n, "axis", 1), shape.size());
    if (axis < 0)
      return onnx_error("axis out of range for shape " + show_shape(shape));
    auto a = static_cast<size_t>(axis);
    to = {prod(shape, 0, a), prod(shape, a, shape.size())};
  } else if (op == "Reshape") {
    if (in.size() < 2 || core.values[in[1]].kind != onnx_value::int_constant)
      return onnx_error("Reshape needs a constant int64 shape");
    to = core.values[in[1]].ints;
    bool allow_zero = attr_int(n, "allowzero", 0) != 0;
    int64_t known = 1;
    int infer = -1;
    for (size_t d = 0; d < to.size(); ++d) {
      if (to[d] == 0 && !allow_zero && d < shape.size())
        to[d] = shape[d];
      if (to[d] == -1 && infer < 0)
        infer = static_cast<int>(d);
      else if (to[d] > 0)
        known *= to[d];
      else
        return onnx_error("invalid Reshape target " + show_shape(to));
    }
    if (infer >= 0 && size % known == 0)
      to[static_cast<size_t>(infer)] = size / known;
  } else {
    to = shape; // Identity
  }
  if (onnx_size(to) != size)
    return onnx_error("cannot reshape " + show_shape(shape) + " to "
                      + show_shape(to));
  auto y = core.add_alias(in[0], std::move(to));
  core.values[y].is_proba = op == "Identity" && core.values[in[0]].is_proba;
  out.push_back(y);
  return caf::none;
}

} // namespace

bool is_dense_op(std::string_view op) {
  static constexpr std::string_view ops[]
    = {"Gemm",   "MatMul",   "Add",     "Sub",       "Mul",     "Div",
       "Relu",   "Sigmoid",  "Tanh",    "LeakyRelu", "Softmax", "Clip",
       "Concat", "Identity", "Flatten", "Reshape",   "Constant"};
  return std::find(std::begin(ops), std::end(ops), op) != std::end(ops);
}

caf::error compile_dense(const onnx::NodeProto& n,
                         const std::vector<uint32_t>& in, onnx_core& core,
                         onnx_dense_tables& tables,
                         std::vector<uint32_t>& out) {
  const auto& op = n.op_type();
  if (op == "Constant") {
    const auto* a = find_attr(n, "value");
    if (a == nullptr || !a->has_t())
      return onnx_error("Constant needs a 'value' tensor");
    auto v = add_tensor(core, a->t());
    if (!v)
      return std::move(v.error());
    out.push_back(*v);
    return caf::none;
  }
  // Only Gemm's C and Clip's bounds may be left out.
  bool tail = op == "Gemm" || op == "Clip";
  size_t need = tail || op == "MatMul" || op == "Add" || op == "Sub"
                    || op == "Mul" || op == "Div" || op == "Reshape"
                  ? 2 - (op == "Clip")
                  : 1;
  for (size_t i = 0; i < in.size(); ++i)
    if (in[i] == onnx_absent && (i < need || !tail))
      return onnx_error(op + " needs input " + std::to_string(i));
  if (in.size() < need)
    return onnx_error(op + " needs " + std::to_string(need) + " inputs");
  if (op == "Gemm" || op == "MatMul")
    return compile_gemm(n, in, core, tables, out);
  if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div")
    return compile_binary(n, in, core, tables, out);
  if (op == "Softmax")
    return compile_softmax(n, in, core, tables, out);
  if (op == "Concat")
    return compile_concat(n, in, core, tables, out);
  if (op == "Identity" || op == "Flatten" || op == "Reshape")
    return compile_reshape(n, in, core, out);
  return compile_unary(n, in, core, out);
}

} // namespace shoal
