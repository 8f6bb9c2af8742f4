#include "runtime/cluster/placement.hpp"

#include <algorithm>
#include <iterator>

#include "runtime/cluster/cells.hpp"

namespace shoal {

namespace {

/// The position of the smallest value of `xs` (the first of equals).
template <class T>
size_t least(const std::vector<T>& xs) {
  return static_cast<size_t>(std::min_element(xs.begin(), xs.end())
                             - xs.begin());
}

} // namespace

std::vector<size_t> place_graph(const graph_spec& g, size_t members) {
  std::vector<size_t> where(g.nodes.size(), 0);
  if (members <= 1)
    return where;
  auto cell = assign_cells(g);
  std::vector<size_t> cell_size(g.nodes.size(), 0);
  for (auto c : cell)
    ++cell_size[c];
  // The cells in the order of their sensors, then largest first (a stable
  // sort: equal sizes keep that order).
  std::vector<size_t> order;
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (cell[i] == i)
      order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    return cell_size[x] > cell_size[y];
  });
  std::vector<size_t> load(members, 0);
  std::vector<size_t> member_of(g.nodes.size(), 0);
  for (auto c : order) {
    auto m = least(load);
    member_of[c] = m;
    load[m] += cell_size[c];
  }
  for (size_t i = 0; i < g.nodes.size(); ++i)
    where[i] = member_of[cell[i]];
  return where;
}

member_loads estimate_loads(const std::vector<uint64_t>& nodes,
                            const std::vector<double>& fps) {
  double total_fps = 0;
  uint64_t total_nodes = 0;
  for (auto x : fps)
    total_fps += x;
  for (auto x : nodes)
    total_nodes += x;
  bool measured = total_fps > 0 && total_nodes > 0;
  member_loads result;
  result.per_node
    = measured ? total_fps / static_cast<double>(total_nodes) : 1.0;
  for (size_t k = 0; k < nodes.size(); ++k)
    result.load.push_back(measured ? (k < fps.size() ? fps[k] : 0.0)
                                   : static_cast<double>(nodes[k]));
  return result;
}

std::vector<size_t>
place_new_nodes(const graph_spec& g, const std::vector<std::string>& spawn,
                std::unordered_map<std::string, size_t> running,
                member_loads loads) {
  std::unordered_map<std::string, const node_spec*> spec_of;
  for (auto& n : g.nodes)
    spec_of.emplace(n.name, &n);
  std::vector<size_t> result;
  result.reserve(spawn.size());
  for (auto& name : spawn) {
    auto& n = *spec_of.at(name);
    size_t m;
    if (auto i = running.find(name); i != running.end()) {
      m = i->second;
    } else if (auto a = n.needs.empty()
                          ? running.end()
                          : running.find(n.needs[anchor_input(n)]);
               a != running.end()) {
      m = a->second;
    } else {
      m = least(loads.load);
    }
    running[name] = m;
    loads.load[m] += loads.per_node;
    result.push_back(m);
  }
  return result;
}

std::map<std::string, std::string>
plan_rebalance(const graph_spec& g,
               const std::unordered_map<std::string, std::string>& member_of,
               const std::vector<std::string>& members,
               const std::unordered_map<std::string, double>& cost) {
  struct cell_load {
    std::string member;
    double cost = 0;
    std::vector<std::string> nodes;
    bool one_member = true;
  };
  auto cell_of = assign_cells(g);
  std::vector<cell_load> cells(g.nodes.size());
  // std::map: ties go to the smallest name.
  std::map<std::string, double> load;
  for (auto& name : members)
    load[name] = 0;
  if (load.empty())
    return {};
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    auto& name = g.nodes[i].name;
    auto& c = cells[cell_of[i]];
    auto& where = member_of.at(name);
    auto x = 1 + (cost.count(name) > 0 ? cost.at(name) : 0.0);
    // Nodes of members that left weigh on no live member.
    if (auto l = load.find(where); l != load.end())
      l->second += x;
    c.cost += x;
    if (c.member.empty())
      c.member = where;
    c.one_member = c.one_member && where == c.member;
    c.nodes.push_back(name);
  }
  std::vector<cell_load> movable;
  for (auto& c : cells)
    if (!c.nodes.empty() && c.one_member && load.count(c.member) > 0)
      movable.push_back(std::move(c));
  std::stable_sort(movable.begin(), movable.end(),
                   [](const cell_load& x, const cell_load& y) {
                     return x.cost > y.cost;
                   });
  std::map<std::string, std::string> target;
  auto lighter = [](auto& x, auto& y) {
    return x.second < y.second;
  };
  for (bool moved = true; moved;) {
    moved = false;
    auto lo = std::min_element(load.begin(), load.end(), lighter);
    for (auto& c : movable) {
      auto& from = load[c.member];
      if (c.member == lo->first || c.cost >= from - lo->second)
        continue;
      from -= c.cost;
      lo->second += c.cost;
      c.member = lo->first;
      for (auto& name : c.nodes)
        target[name] = lo->first;
      moved = true;
      break;
    }
  }
  // Nodes that end where they started stay.
  for (auto i = target.begin(); i != target.end();)
    i = member_of.at(i->first) == i->second ? target.erase(i) : std::next(i);
  return target;
}

std::map<std::string, std::string>
plan_leave(const graph_spec& g,
           const std::unordered_map<std::string, std::string>& member_of,
           const std::vector<std::string>& members,
           const std::unordered_map<std::string, double>& cost,
           const std::string& leaving) {
  // std::map: ties go to the smallest name.
  std::map<std::string, double> load;
  for (auto& name : members)
    if (name != leaving)
      load[name] = 0;
  if (load.empty())
    return {};
  auto cell_of = assign_cells(g);
  struct part {
    double cost = 0;
    std::vector<std::string> nodes;
  };
  std::vector<part> parts(g.nodes.size());
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    auto& name = g.nodes[i].name;
    auto& where = member_of.at(name);
    auto x = 1 + (cost.count(name) > 0 ? cost.at(name) : 0.0);
    if (where == leaving) {
      parts[cell_of[i]].cost += x;
      parts[cell_of[i]].nodes.push_back(name);
    } else if (auto l = load.find(where); l != load.end()) {
      l->second += x;
    }
  }
  std::stable_sort(parts.begin(), parts.end(),
                   [](const part& x, const part& y) {
                     return x.cost > y.cost;
                   });
  std::map<std::string, std::string> target;
  for (auto& p : parts) {
    if (p.nodes.empty())
      continue;
    auto lo = std::min_element(load.begin(), load.end(), [](auto& x, auto& y) {
      return x.second < y.second;
    });
    lo->second += p.cost;
    for (auto& name : p.nodes)
      target[name] = lo->first;
  }
  return target;
}

} // namespace shoal
