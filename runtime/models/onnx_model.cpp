#include "runtime/models/onnx_model.hpp"

#include <algorithm>
#include <climits>
#include <cstring>
#include <iterator>
#include <map>
#include <new>
#include <onnx/onnx_pb.h>

#include "runtime/core/bounded_file.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/models/onnx_ops.hpp"
#include "runtime/models/onnx_trees.hpp"

namespace shoal {

struct onnx_plan {
  onnx_core core;
  onnx_dense_tables dense;
  onnx_ml_tables ml;
  /// The value holding the prediction, and its element.
  uint32_t output = 0;
  uint32_t output_index = 0;
  size_t inputs = 0;
  size_t floats = 0;
  size_t doubles = 0;
};

namespace {

std::string node_name(const onnx::NodeProto& n, int i) {
  return n.name().empty() ? "#" + std::to_string(i) : "'" + n.name() + "'";
}

bool is_default_domain(const std::string& d) {
  return d.empty() || d == "ai.onnx";
}

/// Turns a graph into a plan, in the order of the members below.
class compiler {
public:
  compiler(const onnx::GraphProto& g, onnx_plan& p) : g_(g), p_(p) {
    // nop
  }

  caf::error run() {
    if (auto err = check_ops())
      return err;
    if (auto err = read_initializers())
      return err;
    if (auto err = read_input())
      return err;
    for (int i = 0; i < g_.node_size(); ++i)
      if (auto err = read_node(g_.node(i), i))
        return err;
    if (auto err = pick_output())
      return err;
    return layout();
  }

private:
  caf::error check_ops() {
    for (int i = 0; i < g_.node_size(); ++i) {
      const auto& n = g_.node(i);
      bool ok = is_default_domain(n.domain()) ? is_dense_op(n.op_type())
                : n.domain() == "ai.onnx.ml"  ? is_ml_op(n.op_type())
                                              : false;
      if (!ok) {
        auto op = is_default_domain(n.domain())
                    ? n.op_type()
                    : n.domain() + ":" + n.op_type();
        return onnx_error("unsupported operator '" + op + "' (node "
                          + node_name(n, i) + ")");
      }
    }
    return caf::none;
  }

  caf::error read_initializers() {
    if (g_.sparse_initializer_size() > 0)
      return onnx_error("sparse initializers are not supported");
    for (const auto& t : g_.initializer()) {
      auto v = add_tensor(p_.core, t);
      if (!v)
        return std::move(v.error());
      names_[t.name()] = *v;
    }
    return caf::none;
  }

  caf::error read_input() {
    // Old exporters list initializers among the inputs: those are not inputs.
    std::vector<const onnx::ValueInfoProto*> ins;
    for (const auto& x : g_.input())
      if (names_.count(x.name()) == 0)
        ins.push_back(&x);
    if (ins.size() != 1) {
      std::string list;
      for (auto* x : ins)
        list += (list.empty() ? "'" : ", '") + x->name() + "'";
      return onnx_error("the graph has " + std::to_string(ins.size())
                        + " inputs" + (list.empty() ? "" : " (" + list + ")")
                        + "; Shoal needs exactly one float input [N, k]");
    }
    const auto& x = *ins[0];
    auto what = "input '" + x.name() + "'";
    if (!x.type().has_tensor_type())
      return onnx_error(what + " is not a tensor");
    const auto& tt = x.type().tensor_type();
    if (tt.elem_type() != onnx::TensorProto::FLOAT)
      return onnx_error(
        what + " is of type "
        + onnx::TensorProto::DataType_Name(
          static_cast<onnx::TensorProto::DataType>(tt.elem_type()))
        + "; Shoal needs a float input [N, k]");
    if (!tt.has_shape() || tt.shape().dim_size() != 2)
      return onnx_error(what + " must have the shape [N, k]");
    const auto& n = tt.shape().dim(0);
    if (n.has_dim_value() && n.dim_value() != 1)
      return onnx_error(what + " has the fixed batch size "
                        + std::to_string(n.dim_value())
                        + "; Shoal evaluates one row: use 1 or a symbolic N");
    const auto& k = tt.shape().dim(1);
    if (!k.has_dim_value() || k.dim_value() <= 0)
      return onnx_error(what + " has an unknown number of features ("
                        + (k.dim_param().empty() ? "?" : k.dim_param())
                        + "); it must be a fixed k");
    p_.inputs = static_cast<size_t>(k.dim_value());
    names_[x.name()] = p_.core.add_scratch({1, k.dim_value()});
    return caf::none;
  }

  caf::error read_node(const onnx::NodeProto& n, int i) {
    auto where = n.op_type() + " node " + node_name(n, i);
    std::vector<uint32_t> in;
    for (int j = 0; j < n.input_size(); ++j) {
      const auto& name = n.input(j);
      if (name.empty()) {
        in.push_back(onnx_absent);
        continue;
      }
      auto it = names_.find(name);
      if (it == names_.end())
        return onnx_error(where + " uses '" + name
                          + "', which no earlier node produces");
      const auto& v = p_.core.values[it->second];
      if (v.kind == onnx_value::label)
        return onnx_error(where + " uses the class labels '" + name
                          + "'; only probabilities are supported");
      if (v.is_zipmap)
        return onnx_error(where + " uses the ZipMap output '" + name
                          + "'; ZipMap must be the last step");
      if (v.kind == onnx_value::int_constant
          && !(n.op_type() == "Reshape" && j == 1))
        return onnx_error(where + " uses the integer tensor '" + name
                          + "'; only float tensors are supported");
      in.push_back(it->second);
    }
    std::vector<uint32_t> out;
    auto err = is_default_domain(n.domain())
                 ? compile_dense(n, in, p_.core, p_.dense, out)
                 : compile_ml(n, in, p_.core, p_.ml, out);
    if (err)
      return onnx_error(where + ": " + describe(err));
    for (int j = 0; j < n.output_size(); ++j) {
      if (n.output(j).empty())
        continue;
      if (static_cast<size_t>(j) >= out.size())
        return onnx_error(where + " has an unsupported output '" + n.output(j)
                          + "'");
      names_[n.output(j)] = out[static_cast<size_t>(j)];
    }
    return caf::none;
  }

  caf::error pick_output() {
    if (g_.output_size() == 0)
      return onnx_error("the graph has no output");
    auto find = [&](int i, uint32_t& v) -> caf::error {
      auto it = names_.find(g_.output(i).name());
      if (it == names_.end())
        return onnx_error("no node produces the output '" + g_.output(i).name()
                          + "'");
      v = it->second;
      return caf::none;
    };
    uint32_t v = 0;
    if (auto err = find(0, v))
      return err;
    bool proba = false;
    if (p_.core.values[v].kind == onnx_value::label) {
      // A classifier: its label, then its probabilities.
      if (g_.output_size() < 2)
        return onnx_error("the output '" + g_.output(0).name()
                          + "' is a class label, and there is no "
                            "probability output");
      if (auto err = find(1, v))
        return err;
      proba = true;
    }
    const auto& x = p_.core.values[v];
    if (x.kind == onnx_value::label || x.kind == onnx_value::int_constant)
      return onnx_error("the output is not a float tensor");
    proba = proba || x.is_proba;
    p_.output = v;
    p_.output_index = proba && onnx_size(x.shape) >= 2 ? 1 : 0;
    return caf::none;
  }

  uint32_t root(uint32_t v) const {
    while (p_.core.values[v].kind == onnx_value::alias)
      v = p_.core.values[v].ref;
    return v;
  }

  /// Keeps only the steps the prediction needs and places their outputs in
  /// the scratch arena, after the input row.
  caf::error layout() {
    auto& c = p_.core;
    std::vector<bool> needed(c.values.size(), false);
    needed[root(p_.output)] = true;
    std::vector<onnx_step> kept;
    for (auto s = c.steps.rbegin(); s != c.steps.rend(); ++s) {
      if (!needed[s->out])
        continue;
      for (uint32_t i = 0; i < s->in_count; ++i)
        needed[root(c.operands[s->in_first + i])] = true;
      kept.push_back(*s);
    }
    std::reverse(kept.begin(), kept.end());
    c.steps = std::move(kept);
    // Offsets are 32-bit; a model this large is a mistake anyway.
    constexpr size_t limit = size_t{1} << 28;
    size_t offset = p_.inputs;
    p_.doubles = 1;
    for (const auto& s : c.steps) {
      c.values[s.out].ref = static_cast<uint32_t>(offset);
      offset += static_cast<size_t>(onnx_size(c.values[s.out].shape));
      p_.doubles = std::max(p_.doubles, static_cast<size_t>(s.acc));
      if (offset > limit || p_.doubles > limit)
        return onnx_error("the model needs more than " + std::to_string(limit)
                          + " floats of scratch");
    }
    p_.floats = offset;
    for (auto& v : c.values)
      if (v.kind == onnx_value::alias) {
        const auto& r = c.values[root(v.ref)];
        v.kind = r.kind;
        v.ref = r.ref;
      }
    c.steps.shrink_to_fit();
    return caf::none;
  }

  const onnx::GraphProto& g_;
  onnx_plan& p_;
  std::map<std::string, uint32_t> names_;
};

} // namespace

onnx_model::onnx_model(std::unique_ptr<onnx_plan> plan)
  : plan_(std::move(plan)), inputs_(plan_->inputs), floats_(plan_->floats),
    doubles_(plan_->doubles) {
  // nop
}

onnx_model::~onnx_model() = default;

caf::expected<std::shared_ptr<const onnx_model>>
onnx_model::load(const std::string& path) {
  auto bytes = read_bounded_file(path);
  if (!bytes)
    return onnx_error("cannot read file: " + describe(bytes.error()));
  return parse(bytes->data(), bytes->size());
}

caf::expected<std::shared_ptr<const onnx_model>>
onnx_model::parse(const void* data, size_t size) {
  // The protobuf and container code below reports failure by exceptions
  // (bad_alloc); they stop here.
  try {
    onnx::ModelProto m;
    if (size > INT_MAX || !m.ParseFromArray(data, static_cast<int>(size))
        || !m.has_graph())
      return onnx_error("cannot parse file");
    auto plan = std::make_unique<onnx_plan>();
    plan->core.opset = 1;
    for (const auto& o : m.opset_import())
      if (is_default_domain(o.domain()))
        plan->core.opset = o.version();
    compiler c{m.graph(), *plan};
    if (auto err = c.run())
      return err;
    return std::make_shared<const onnx_model>(std::move(plan));
  } catch (const std::exception& e) {
    return onnx_error(std::string{"cannot load: "} + e.what());
  }
}

size_t onnx_model::step_count() const {
  return plan_->core.steps.size();
}

size_t onnx_model::memory_bytes() const {
  const auto& c = plan_->core;
  size_t n = sizeof(*this) + sizeof(onnx_plan)
             + c.values.capacity() * sizeof(onnx_value)
             + c.consts.capacity() * sizeof(float)
             + c.steps.capacity() * sizeof(onnx_step)
             + c.operands.capacity() * sizeof(uint32_t);
  for (const auto& v : c.values)
    n += v.shape.capacity() * sizeof(int64_t)
         + v.ints.capacity() * sizeof(int64_t);
  return n + plan_->dense.memory_bytes() + plan_->ml.memory_bytes();
}

float onnx_model::run(float* scratch, double* acc) const {
  const auto& p = *plan_;
  onnx_memory mem{&p.core, scratch, acc};
  for (const auto& s : p.core.steps) {
    if (s.op < onnx_op::tree_ensemble)
      run_dense(s, p.dense, mem);
    else
      run_ml(s, p.ml, mem);
  }
  return mem.in(p.output)[p.output_index];
}

} // namespace shoal
