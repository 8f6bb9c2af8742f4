#include "runtime/graph/graph_spec.hpp"

#include <tuple>

namespace shoal {

const char* to_string(node_kind x) {
  switch (x) {
    case node_kind::sensor: return "sensor";
    case node_kind::feature: return "feature";
    case node_kind::model: return "model";
  }
  return "unknown";
}

bool operator==(const node_spec& x, const node_spec& y) {
  auto tie = [](const node_spec& s) {
    return std::tie(s.name, s.kind, s.fn, s.needs, s.trigger, s.emit, s.unit,
                    s.window, s.window_ns, s.alpha, s.weights, s.bias, s.link,
                    s.code, s.path);
  };
  return tie(x) == tie(y);
}

std::optional<size_t> graph_spec::find(std::string_view name) const {
  for (size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].name == name)
      return i;
  return std::nullopt;
}

} // namespace shoal
