// Planning a graph change (actors/cluster/graph_change.hpp): what to spawn and
// what to stop for an apply, a remove or a failover, validated before anything
// changes.

#include <set>
#include <unordered_map>
#include <unordered_set>

#include "actors/cluster/graph_change.hpp"
#include "actors/messages.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/functions/fn_factory.hpp"
#include "runtime/graph/graph_validator.hpp"

namespace shoal {

namespace {

/// Names of the nodes whose member is not in the membership.
std::vector<std::string> homeless(const member_state& st) {
  std::vector<std::string> xs;
  for (auto& e : st.coordinator.dir)
    if (st.membership.members.count(e.member) == 0)
      xs.push_back(e.name);
  return xs;
}

/// The departed members whose nodes are in `st`'s directory still, joined
/// with ',' for a log field.
std::string departed_owners(const member_state& st) {
  std::set<std::string> gone;
  for (auto& e : st.coordinator.dir)
    if (st.membership.members.count(e.member) == 0)
      gone.insert(e.member);
  std::string out;
  for (auto& name : gone)
    out += (out.empty() ? "" : ",") + name;
  return out;
}

/// Puts the names of `spawn` in the topological order of `g`.
std::vector<std::string> in_graph_order(const graph_spec& g,
                                        const std::set<std::string>& spawn) {
  std::vector<std::string> xs;
  for (auto& n : g.nodes)
    if (spawn.count(n.name) > 0)
      xs.push_back(n.name);
  return xs;
}

} // namespace

caf::expected<graph_change> plan_apply(const member_state& st, graph_spec g) {
  graph_change c;
  c.merged = st.coordinator.graph;
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < c.merged.nodes.size(); ++i)
    index.emplace(c.merged.nodes[i].name, i);
  std::set<std::string> spawn;
  std::unordered_set<std::string> fresh;
  size_t added = 0;
  size_t replaced = 0;
  for (auto& n : g.nodes) {
    auto i = index.find(n.name);
    if (i == index.end()) {
      if (!fresh.insert(n.name).second)
        continue; // a duplicate: validate_graph names it below
      ++added;
      c.added.push_back(n.name);
      spawn.insert(n.name);
      index.emplace(n.name, c.merged.nodes.size());
      c.merged.nodes.push_back(n);
      continue;
    }
    auto& running = c.merged.nodes[i->second];
    // Equal specs have equal model contents (compared by their bytes): a
    // model file changed where shoalctl read it is a replaced node.
    if (running == n)
      continue;
    ++replaced;
    c.replaced.push_back(n.name);
    spawn.insert(n.name);
    running = n;
  }
  // Everything is checked again; the functions of what changes are built.
  auto check = [&](const node_spec& n) -> caf::error {
    if (spawn.count(n.name) == 0)
      return caf::none;
    auto fn = make_fn(n);
    return fn ? caf::error{} : std::move(fn.error());
  };
  if (auto err = validate_graph(c.merged, check))
    return err;
  for (auto& name : homeless(st))
    spawn.insert(name);
  c.spawn = in_graph_order(c.merged, spawn);
  auto unchanged = g.nodes.size() - added - replaced;
  c.what = "added " + std::to_string(added) + ", replaced "
           + std::to_string(replaced) + ", unchanged "
           + std::to_string(unchanged);
  c.fields = {{"event", "apply"},
              {"added", added},
              {"replaced", replaced},
              {"removed", size_t{0}},
              {"unchanged", unchanged}};
  return c;
}

caf::expected<std::string> dry_run_apply(const member_state& st, graph_spec g) {
  std::vector<std::string> named;
  for (auto& n : g.nodes)
    named.push_back(n.name);
  graph_change c;
  if (st.coordinator.deployed) {
    auto planned = plan_apply(st, std::move(g));
    if (!planned)
      return std::move(planned.error());
    c = std::move(*planned);
  } else {
    // The first graph is validated in full and placed as a whole.
    auto check = [](const node_spec& n) -> caf::error {
      auto fn = make_fn(n);
      return fn ? caf::error{} : std::move(fn.error());
    };
    if (auto err = validate_graph(g, check))
      return err;
    c.added = named;
  }
  std::set<std::string> changed{c.added.begin(), c.added.end()};
  changed.insert(c.replaced.begin(), c.replaced.end());
  std::set<std::string> in_file{named.begin(), named.end()};
  std::string text;
  for (auto& name : c.added)
    text += "add " + name + "\n";
  for (auto& name : c.replaced)
    text += "replace " + name + "\n";
  size_t unchanged = 0;
  for (auto& name : named)
    if (changed.count(name) == 0) {
      text += "unchanged " + name + "\n";
      ++unchanged;
    }
  size_t kept = 0;
  if (st.coordinator.deployed)
    for (auto& n : st.coordinator.graph.nodes)
      if (in_file.count(n.name) == 0) {
        text += "keep " + n.name + "\n";
        ++kept;
      }
  text += "dry run: would add " + std::to_string(c.added.size()) + ", replace "
          + std::to_string(c.replaced.size()) + ", unchanged "
          + std::to_string(unchanged) + "; " + std::to_string(kept)
          + " running nodes not in the file stay; nothing changed";
  return text;
}

caf::expected<graph_change> plan_remove(const member_state& st,
                                        const std::vector<std::string>& names,
                                        bool cascade) {
  std::set<std::string> gone;
  for (auto& name : names) {
    if (!st.coordinator.graph.find(name))
      return make_error(errc::not_found, "unknown node '" + name + "'");
    gone.insert(name);
  }
  // In topological order a dependent comes after its inputs: one pass
  // finds the whole cascade.
  for (auto& n : st.coordinator.graph.nodes) {
    if (gone.count(n.name) > 0)
      continue;
    for (auto& need : n.needs) {
      if (gone.count(need) == 0)
        continue;
      if (!cascade)
        return make_error(errc::invalid_graph,
                          "cannot remove '" + need + "': '" + n.name
                            + "' needs it (remove it too, or use --cascade)");
      gone.insert(n.name);
      break;
    }
  }
  graph_change c;
  for (auto& n : st.coordinator.graph.nodes) {
    if (gone.count(n.name) > 0)
      c.remove.push_back(n.name);
    else
      c.merged.nodes.push_back(n);
  }
  std::set<std::string> spawn;
  for (auto& name : homeless(st))
    if (gone.count(name) == 0)
      spawn.insert(name);
  c.spawn = in_graph_order(c.merged, spawn);
  c.what = "removed " + std::to_string(c.remove.size()) + ":";
  for (auto& name : c.remove)
    c.what += " " + name;
  c.fields = {{"event", "remove"}, {"removed", c.remove.size()}};
  return c;
}

graph_change plan_failover(const member_state& st) {
  graph_change c;
  c.merged = st.coordinator.graph;
  auto xs = homeless(st);
  c.failover = true;
  auto k = st.checkpoint.meta.k;
  c.fields = {
    {"event", "failover"}, {"dead", departed_owners(st)}, {"nodes", xs.size()}};
  if (k > 0 && !xs.empty()) {
    for (auto& n : c.merged.nodes)
      c.spawn.push_back(n.name);
    c.restore_k = k;
    c.what = "restored " + std::to_string(c.spawn.size())
             + " nodes from checkpoint " + std::to_string(k) + ", "
             + std::to_string(xs.size())
             + " of them of departed members placed again";
    return c;
  }
  c.spawn = in_graph_order(c.merged, {xs.begin(), xs.end()});
  // The change says how many resumed from a checkpoint once it read them.
  c.what = "placed " + std::to_string(c.spawn.size())
           + " nodes of departed members again";
  return c;
}

} // namespace shoal
