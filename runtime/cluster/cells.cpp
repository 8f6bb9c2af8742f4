#include "runtime/cluster/cells.hpp"

#include <string_view>
#include <unordered_map>

namespace shoal {

size_t anchor_input(const node_spec& n) {
  size_t anchor = 0;
  if (!n.trigger.empty())
    while (anchor + 1 < n.needs.size() && n.needs[anchor] != n.trigger[0])
      ++anchor;
  return anchor;
}

std::vector<size_t> assign_cells(const graph_spec& g,
                                 const std::vector<size_t>& anchor,
                                 size_t capacity) {
  std::vector<size_t> cell(g.nodes.size(), no_cell);
  // Nodes per cell, indexed like `cell` by the cell's sensor.
  std::vector<size_t> size(g.nodes.size(), 0);
  // Nodes come in topological order: inputs are decided first.
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    if (g.nodes[i].kind == node_kind::sensor) {
      cell[i] = i;
      size[i] = 1;
      continue;
    }
    auto c = cell[anchor[i]];
    if (c != no_cell && size[c] < capacity) {
      cell[i] = c;
      ++size[c];
    }
  }
  return cell;
}

std::vector<size_t> assign_cells(const graph_spec& g, size_t capacity) {
  std::unordered_map<std::string_view, size_t> index;
  index.reserve(g.nodes.size());
  std::vector<size_t> anchor(g.nodes.size(), 0);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    auto& n = g.nodes[i];
    if (n.kind != node_kind::sensor)
      anchor[i] = index.at(n.needs[anchor_input(n)]);
    index.emplace(n.name, i);
  }
  return assign_cells(g, anchor, capacity);
}

} // namespace shoal
