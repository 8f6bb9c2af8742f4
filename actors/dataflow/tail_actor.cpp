#include "actors/dataflow/tail_actor.hpp"

#include "caf/all.hpp"

#include "actors/dataflow/progress.hpp"
#include "actors/dataflow/wiring.hpp"
#include "actors/messages.hpp"

namespace shoal {

caf::behavior tail_actor(caf::stateful_actor<tail_state>* self,
                         caf::actor client, std::vector<caf::actor> nodes,
                         std::vector<std::string> names) {
  auto& st = self->state;
  st.client = std::move(client);
  st.nodes = std::move(nodes);
  for (auto& n : names)
    st.names.emplace(node_key(n), n);
  st.open = st.nodes.size();
  for (size_t i = 0; i < st.nodes.size() && i < names.size(); ++i)
    subscribe_to(self, st.nodes[i], node_key(names[i]),
                 progress_tracker::no_band, false);
  self->monitor(st.client);
  self->set_down_handler([=](caf::down_msg& dm) {
    auto& s = self->state;
    if (dm.source != s.client.address())
      return;
    for (auto& n : s.nodes)
      self->send(n, caf::unsubscribe_atom_v, caf::actor_cast<caf::actor>(self));
    self->quit();
  });
  return {
    [=](mark_atom, uint64_t, uint64_t) {
      // Checkpoint marks concern nodes only (checkpoint_marks.hpp).
    },
    [=](batch& b) {
      auto& s = self->state;
      auto i = s.names.find(b.from);
      if (i == s.names.end())
        return;
      if (!b.points.empty()) {
        std::vector<output_row> rows;
        rows.reserve(b.points.size());
        for (auto& p : b.points)
          rows.push_back(output_row{i->second, p.ts, p.value});
        self->send(s.client, std::move(rows));
      }
      if (b.wm == wm_end && --s.open == 0) {
        self->send(s.client, done_atom_v);
        self->quit();
      }
    },
    [=](subscribed_atom, uint64_t, point, int64_t) {
      // nop
    },
    [=](moved_atom, uint64_t key, caf::actor& to) {
      // A node moved with its state: follow it to its new actor.
      auto& s = self->state;
      if (s.names.count(key) == 0)
        return;
      // The old actor stopped; unsubscribing from it later is harmless.
      s.nodes.push_back(to);
      subscribe_to(self, to, key, progress_tracker::no_band, true);
    },
  };
}

} // namespace shoal
