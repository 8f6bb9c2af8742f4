#include "runtime/graph/graph_spec.hpp"

#include <array>
#include <cstring>
#include <tuple>
#include <unordered_map>

#include "runtime/core/errc.hpp"

namespace shoal {

const char* to_string(node_kind x) {
  switch (x) {
    case node_kind::sensor: return "sensor";
    case node_kind::feature: return "feature";
    case node_kind::model: return "model";
  }
  return "unknown";
}

namespace {

/// Compares parameters by their bits, so that two NaNs (not given) are
/// equal.
uint64_t bits(double x) {
  uint64_t result;
  std::memcpy(&result, &x, sizeof(x));
  return result;
}

} // namespace

bool operator==(const node_spec& x, const node_spec& y) {
  auto tie = [](const node_spec& s) {
    return std::tie(s.name, s.kind, s.fn, s.needs, s.trigger, s.emit, s.unit,
                    s.window, s.window_ns, s.alpha, s.weights, s.bias, s.link,
                    s.code, s.path, s.content);
  };
  auto params = [](const node_spec& s) {
    return std::array<uint64_t, 6>{bits(s.lo),  bits(s.hi),   bits(s.mul),
                                   bits(s.add), bits(s.band), bits(s.q)};
  };
  return tie(x) == tie(y) && params(x) == params(y);
}

std::vector<uint64_t> param_bits(const node_spec& x) {
  return {bits(x.lo),  bits(x.hi),   bits(x.mul),
          bits(x.add), bits(x.band), bits(x.q)};
}

caf::error set_param_bits(node_spec& x, const std::vector<uint64_t>& bits) {
  if (bits.size() != 6)
    return make_error(errc::invalid_input, "node '" + x.name + "' arrived with "
                                             + std::to_string(bits.size())
                                             + " parameters, not 6");
  double* params[] = {&x.lo, &x.hi, &x.mul, &x.add, &x.band, &x.q};
  for (size_t i = 0; i < bits.size(); ++i)
    std::memcpy(params[i], &bits[i], sizeof(double));
  return caf::none;
}

std::optional<size_t> graph_spec::find(std::string_view name) const {
  for (size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].name == name)
      return i;
  return std::nullopt;
}

graph_files files_of(const graph_spec& g) {
  graph_files res;
  res.index.reserve(g.nodes.size());
  // By fingerprint, then by bytes: nodes of two applies may hold equal
  // contents in two buffers.
  std::unordered_multimap<uint64_t, uint32_t> seen;
  for (auto& n : g.nodes) {
    uint32_t k = 0;
    if (!n.content.empty()) {
      auto range = seen.equal_range(n.content.fingerprint());
      for (auto i = range.first; i != range.second && k == 0; ++i)
        if (res.contents[i->second - 1] == n.content)
          k = i->second;
      if (k == 0) {
        res.contents.push_back(n.content);
        k = static_cast<uint32_t>(res.contents.size());
        seen.emplace(n.content.fingerprint(), k);
      }
    }
    res.index.push_back(k);
  }
  return res;
}

caf::error attach_files(graph_spec& g, graph_files& files) {
  if (files.index.size() != g.nodes.size())
    return make_error(errc::invalid_input,
                      "the graph's contents do not match its nodes");
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    auto k = files.index[i];
    if (k > files.contents.size())
      return make_error(errc::invalid_input,
                        "the graph's contents do not match its nodes");
    if (k > 0)
      g.nodes[i].content = files.contents[k - 1];
  }
  return caf::none;
}

} // namespace shoal
