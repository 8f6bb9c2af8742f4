#include "actors/cluster/member_graph.hpp"

#include <algorithm>
#include <memory>
#include <unordered_map>

#include "caf/all.hpp"

#include "actors/messages.hpp"
#include "runtime/cluster/placement.hpp"
#include "runtime/core/log_sink.hpp"

namespace shoal {

/// Deploys `g` (validated) over the current members and delivers a summary
/// to `rp`; on any failure, delivers the error and deploys nothing more.
void apply_graph(member_self self, graph_spec g, caf::response_promise rp) {
  auto members = all_members(self->state.membership);
  auto where = place_graph(g, members.size());
  std::vector<std::vector<std::string>> names(members.size());
  for (size_t i = 0; i < g.nodes.size(); ++i)
    names[where[i]].push_back(g.nodes[i].name);
  begin_change(self);
  auto dir = std::make_shared<directory>();
  auto pending = std::make_shared<size_t>(members.size());
  auto failed = std::make_shared<bool>(false);
  auto fail = [=](caf::error err) mutable {
    if (*failed)
      return;
    *failed = true;
    end_change(self);
    rp.deliver(std::move(err));
  };
  auto wire_all = [=]() mutable {
    auto wired = std::make_shared<size_t>(members.size());
    for (auto& m : members)
      self
        ->request(m.host, std::chrono::minutes(2), wire_atom_v, dir->names(),
                  dir->actors())
        .then(
          [=](caf::ok_atom) mutable {
            if (--*wired > 0 || *failed)
              return;
            // The placement just made counted every member but those that
            // joined meanwhile: nodes move to them as to any newcomer.
            commit_deployment(self, g, *dir, true);
            for (auto& [name, e] : self->state.membership.members)
              if (std::none_of(members.begin(), members.end(), [&](auto& x) {
                    return x.name == name;
                  }))
                coordinator_member_joined(self, name, false);
            end_change(self);
            std::string summary
              = "applied " + std::to_string(g.nodes.size()) + " nodes on "
                + std::to_string(members.size()) + " members:";
            for (size_t k = 0; k < members.size(); ++k)
              summary += " " + members[k].name + " "
                         + std::to_string(names[k].size());
            // The same fields as a later apply's (graph_plan.cpp).
            logf(*self->state.opts.log, log_level::info,
                 {{"event", "apply"},
                  {"added", g.nodes.size()},
                  {"replaced", size_t{0}},
                  {"removed", size_t{0}},
                  {"unchanged", size_t{0}},
                  {"members", members.size()}},
                 "shoal-node: member %s: %s", self->state.opts.name.c_str(),
                 summary.c_str());
            rp.deliver(summary);
          },
          [=](caf::error& err) mutable {
            fail(std::move(err));
          });
  };
  for (size_t k = 0; k < members.size(); ++k) {
    self
      ->request(members[k].host, std::chrono::minutes(2), deploy_atom_v, g,
                names[k])
      .then(
        [=](std::vector<caf::actor>& xs) mutable {
          for (size_t j = 0; j < xs.size(); ++j)
            dir->put(names[k][j], std::move(xs[j]), members[k].name);
          if (--*pending == 0 && !*failed)
            wire_all();
        },
        [=](caf::error& err) mutable {
          fail(std::move(err));
        });
  }
}

} // namespace shoal
