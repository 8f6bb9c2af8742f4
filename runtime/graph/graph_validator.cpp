#include "runtime/graph/graph_validator.hpp"

#include <algorithm>
#include <functional>
#include <queue>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/graph/graph_error.hpp"

namespace shoal {

namespace {

constexpr size_t max_name_length = 128;

constexpr size_t npos = static_cast<size_t>(-1);

using index_map = std::unordered_map<std::string_view, size_t>;

bool is_name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
         || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == ':'
         || c == '-';
}

/// Checks names and fills `index` (name -> position in `g.nodes`).
caf::error check_names(const graph_spec& g, index_map& index) {
  index.reserve(g.nodes.size());
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const auto& n = g.nodes[i];
    if (!is_valid_node_name(n.name))
      return node_error(n, "malformed name (a name is 1 to 128 characters of "
                           "A-Z a-z 0-9 _ . : -)");
    auto [pos, added] = index.emplace(n.name, i);
    if (added)
      continue;
    const auto& first = g.nodes[pos->second];
    if (first.file == n.file)
      return node_error(n, "duplicate name, declared twice in this file");
    return node_error(n, "duplicate name, also declared in "
                           + (first.file.empty() ? "graph" : first.file));
  }
  return caf::none;
}

/// The positions of every node's inputs, flattened: the inputs of node `i`
/// are `of[first[i]] .. of[first[i + 1]]`.
struct input_positions {
  std::vector<size_t> first;
  std::vector<size_t> of;
};

/// Checks the `needs` and `trigger` lists of every node and fills `in`.
caf::error check_edges(const graph_spec& g, const index_map& index,
                       input_positions& in) {
  in.first.reserve(g.nodes.size() + 1);
  for (const auto& n : g.nodes) {
    in.first.push_back(in.of.size());
    if (n.kind == node_kind::sensor) {
      if (!n.needs.empty())
        return node_error(n, "a sensor has no inputs, but it needs '"
                               + n.needs.front() + "'");
      if (!n.trigger.empty())
        return node_error(n, "a sensor has no inputs to trigger on");
      continue;
    }
    if (n.needs.empty())
      return node_error(n, std::string{"a "} + to_string(n.kind)
                             + " needs at least one input ('needs')");
    for (const auto& need : n.needs) {
      auto i = index.find(need);
      if (i == index.end())
        return node_error(n, "needs '" + need
                               + "', which is no node in the graph");
      in.of.push_back(i->second);
    }
    for (const auto& t : n.trigger)
      if (std::find(n.needs.begin(), n.needs.end(), t) == n.needs.end())
        return node_error(n, "trigger '" + t + "' is not one of its needs");
  }
  in.first.push_back(in.of.size());
  return caf::none;
}

/// Finds a cycle among the nodes not `placed` and returns the error naming
/// it. Every such node has an input that is not placed either, so walking
/// upstream from any of them must revisit a node.
caf::error cycle_error(const graph_spec& g, const index_map& index,
                       const std::vector<bool>& placed) {
  auto start = static_cast<size_t>(
    std::find(placed.begin(), placed.end(), false) - placed.begin());
  std::vector<size_t> seen_at(g.nodes.size(), npos);
  std::vector<size_t> path;
  auto cur = start;
  while (seen_at[cur] == npos) {
    seen_at[cur] = path.size();
    path.push_back(cur);
    for (const auto& in : g.nodes[cur].needs) {
      auto up = index.at(in);
      if (!placed[up]) {
        cur = up;
        break;
      }
    }
  }
  // `path` runs upstream (each node needs the next); data flows the other
  // way. Start the message at the node of the cycle that was declared first.
  std::vector<size_t> cycle(path.rbegin(),
                            path.rend() - static_cast<ptrdiff_t>(seen_at[cur]));
  std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()),
              cycle.end());
  std::string text = "dependency cycle: ";
  for (auto i : cycle)
    text += g.nodes[i].name + " -> ";
  text += g.nodes[cycle.front()].name;
  return node_error(g.nodes[cycle.front()], text);
}

/// Computes the stable topological order of `g` into `order` (positions in
/// `g.nodes`), or returns the error naming a cycle.
caf::error topological_order(const graph_spec& g, const index_map& index,
                             const input_positions& in,
                             std::vector<size_t>& order) {
  auto n = g.nodes.size();
  std::vector<size_t> pending(n);
  // The users of every node, flattened as the inputs are.
  std::vector<size_t> user_first(n + 1, 0);
  for (auto up : in.of)
    ++user_first[up + 1];
  for (size_t i = 0; i < n; ++i)
    user_first[i + 1] += user_first[i];
  std::vector<size_t> users(in.of.size());
  auto fill = user_first;
  for (size_t i = 0; i < n; ++i) {
    pending[i] = in.first[i + 1] - in.first[i];
    for (auto k = in.first[i]; k < in.first[i + 1]; ++k)
      users[fill[in.of[k]]++] = i;
  }
  // A min-heap of ready positions: the earliest declared ready node goes
  // next, which keeps the order stable.
  std::priority_queue<size_t, std::vector<size_t>, std::greater<size_t>> ready;
  for (size_t i = 0; i < n; ++i)
    if (pending[i] == 0)
      ready.push(i);
  std::vector<bool> placed(n, false);
  order.clear();
  order.reserve(n);
  while (!ready.empty()) {
    auto i = ready.top();
    ready.pop();
    placed[i] = true;
    order.push_back(i);
    for (auto k = user_first[i]; k < user_first[i + 1]; ++k)
      if (--pending[users[k]] == 0)
        ready.push(users[k]);
  }
  if (order.size() < n)
    return cycle_error(g, index, placed);
  return caf::none;
}

} // namespace

bool is_valid_node_name(std::string_view name) {
  return !name.empty() && name.size() <= max_name_length
         && std::all_of(name.begin(), name.end(), is_name_char);
}

caf::error
validate_graph(graph_spec& g,
               const std::function<caf::error(const node_spec&)>& check_fn) {
  index_map index;
  input_positions in;
  std::vector<size_t> order;
  if (auto err = check_names(g, index))
    return err;
  if (auto err = check_edges(g, index, in))
    return err;
  if (auto err = topological_order(g, index, in, order))
    return err;
  for (auto i : order) {
    const auto& n = g.nodes[i];
    if (n.kind == node_kind::sensor)
      continue;
    if (auto err = check_fn(n))
      return err;
  }
  std::vector<node_spec> sorted;
  sorted.reserve(order.size());
  for (auto i : order)
    sorted.push_back(std::move(g.nodes[i]));
  g.nodes = std::move(sorted);
  return caf::none;
}

} // namespace shoal
