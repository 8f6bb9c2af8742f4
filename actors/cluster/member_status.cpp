#include "actors/cluster/member_status.hpp"

#include "caf/all.hpp"

#include "actors/cluster/member_actor.hpp"

namespace shoal {

caf::message_handler status_handlers(member_self self) {
  return {
    [=](status_atom) {
      auto& st = self->state;
      return caf::make_message(all_members(st.membership),
                               down_members(st.membership),
                               st.coordinator.graph, st.coordinator.dir);
    },
    [=](status_atom, uint64_t known) {
      auto& st = self->state;
      auto& c = st.coordinator;
      if (known == c.generation)
        return caf::make_message(all_members(st.membership),
                                 down_members(st.membership), c.generation,
                                 graph_spec{}, directory{});
      return caf::make_message(all_members(st.membership),
                               down_members(st.membership), c.generation,
                               c.graph, c.dir);
    },
    [=](stats_atom) {
      return self->state.status.nodes_failed_over;
    },
    [=](latency_atom, caf::actor& sink) {
      self->state.status.sink = std::move(sink);
    },
    [=](latency_atom) -> caf::result<std::vector<uint64_t>> {
      auto& sink = self->state.status.sink;
      if (!sink)
        return std::vector<uint64_t>{};
      self->delegate(sink, latency_atom_v, caf::get_atom_v);
      return caf::delegated<std::vector<uint64_t>>{};
    },
    [=](ready_atom) {
      // A node that fails takes its graph host and this actor down with it
      // (links), so a member that answers runs its share of the graph.
      auto& st = self->state;
      return caf::make_message(st.membership.formed, st.coordinator.deployed);
    },
    [=](reject_atom, reject_log& x) {
      self->state.status.rejects = std::move(x);
    },
    [=](reject_atom) {
      return self->state.status.rejects;
    },
    [=](graph_atom, bool dot) {
      auto& st = self->state;
      if (dot)
        return placed_graph_dot(st);
      std::vector<std::string> lines;
      for (auto& e : st.coordinator.dir)
        lines.push_back(e.name + " " + e.member);
      return lines;
    },
  };
}

void status_member_left(member_self self, const std::string& name) {
  auto& st = self->state;
  st.status.nodes_failed_over
    += static_cast<uint64_t>(st.coordinator.dir.count_on(name));
  // Those with a checkpointed state that a live member keeps start warm.
  std::vector<std::string> nodes;
  for (auto& e : st.coordinator.dir)
    if (e.member == name)
      nodes.push_back(e.name);
  for (auto& f : states_to_fetch(st, nodes))
    st.status.nodes_warm += f.names.size();
}

std::vector<std::string> placed_graph_dot(const member_state& st) {
  auto quoted = [](const std::string& x) {
    // Names are [A-Za-z0-9_.:-]: nothing to escape but the quotes around.
    return "\"" + x + "\"";
  };
  auto& dir = st.coordinator.dir;
  auto& graph = st.coordinator.graph;
  std::vector<std::string> lines{"digraph shoal {", "  rankdir=LR;"};
  for (auto& [member, e] : st.membership.members) {
    lines.push_back("  subgraph " + quoted("cluster_" + member) + " {");
    lines.push_back("    label=" + quoted(member) + ";");
    for (auto& n : graph.nodes) {
      auto i = dir.find(n.name);
      if (!i || i->member != member)
        continue;
      const char* shape = n.kind == node_kind::sensor    ? "ellipse"
                          : n.kind == node_kind::feature ? "box"
                                                         : "doubleoctagon";
      lines.push_back("    " + quoted(n.name) + " [shape=" + shape + "];");
    }
    lines.push_back("  }");
  }
  for (auto& n : graph.nodes)
    for (auto& need : n.needs)
      lines.push_back("  " + quoted(need) + " -> " + quoted(n.name) + ";");
  lines.push_back("}");
  return lines;
}

} // namespace shoal
