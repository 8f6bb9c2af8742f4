#include "actors/cluster/member_tail.hpp"

#include "caf/all.hpp"

#include "actors/cluster/member_actor.hpp"
#include "actors/dataflow/tail_actor.hpp"
#include "runtime/core/errc.hpp"

namespace shoal {

caf::message_handler tail_handlers(member_self self) {
  return {
    [=](tail_atom, const std::vector<std::string>& names,
        caf::actor& client) -> caf::result<caf::ok_atom> {
      auto& st = self->state.coordinator;
      if (!st.deployed)
        return make_error(errc::not_found,
                          "no graph is deployed: apply one first");
      std::vector<caf::actor> nodes;
      for (auto& name : names) {
        auto e = st.dir.find(name);
        if (!e)
          return make_error(errc::not_found, "unknown node '" + name + "'");
        nodes.push_back(e->actor);
      }
      self->spawn(tail_actor, std::move(client), std::move(nodes), names);
      return caf::ok_atom_v;
    },
  };
}

} // namespace shoal
