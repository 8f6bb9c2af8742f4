#include "actors/cluster/checkpoint_keeper.hpp"

#include <string>
#include <utility>
#include <vector>

#include "caf/all.hpp"

#include "actors/cluster/checkpointer.hpp"
#include "actors/messages.hpp"

namespace shoal {

namespace {

using self_ptr = caf::stateful_actor<checkpoint_keeper_state>*;

} // namespace

caf::behavior checkpoint_keeper(self_ptr self,
                                std::shared_ptr<checkpoint_store> opened) {
  self->state.store = std::move(opened);
  return {
    [=](ckpt_atom, uint64_t k, const std::string& owner,
        const std::vector<std::string>& names,
        const std::vector<std::string>& states) -> caf::result<caf::ok_atom> {
      // Read in place: the graph host sends the same message on as the
      // copy (host_checkpoint.cpp).
      checkpoint_store::state_views xs;
      xs.reserve(names.size());
      for (size_t i = 0; i < names.size() && i < states.size(); ++i)
        xs.emplace_back(names[i], states[i]);
      if (auto err = self->state.store->write_views(owner, k, std::move(xs)))
        return err;
      return caf::ok_atom_v;
    },
    [=](ckpt_atom, fetch_atom, const std::string& owner, uint64_t k,
        const std::vector<std::string>& names)
      -> caf::result<std::vector<std::string>, std::vector<std::string>> {
      auto& store = *self->state.store;
      auto got
        = names.empty() ? store.read(owner, k) : store.read(owner, k, names);
      if (!got)
        return std::move(got.error());
      std::vector<std::string> found;
      std::vector<std::string> states;
      for (auto& [name, bytes] : *got) {
        found.push_back(std::move(name));
        states.push_back(std::move(bytes));
      }
      return {std::move(found), std::move(states)};
    },
    [=](ckpt_atom, caf::ok_atom, uint64_t k, const std::string& meta,
        std::string& graph,
        std::string& placement) -> caf::result<caf::ok_atom> {
      auto& store = *self->state.store;
      checkpoint_store::state_list changed;
      if (!graph.empty())
        changed.emplace_back("graph", std::move(graph));
      if (!placement.empty())
        changed.emplace_back("placement", std::move(placement));
      if (!changed.empty())
        if (auto err = store.write(graph_owner, k, changed))
          return err;
      if (auto err = store.commit(k, meta))
        return err;
      // Pruning reads every key (about 0.1-0.2 s at 100,000 nodes,
      // docs/performance.md): now and then, and keeping the round before
      // too, which a restore may still ask for.
      if (++self->state.commits % prune_every == 0 && k > 2)
        if (auto err = store.prune(k - 2))
          return err;
      return caf::ok_atom_v;
    },
    [=](ckpt_atom, caf::get_atom) {
      auto& store = *self->state.store;
      auto& c = store.committed();
      return caf::make_message(c ? c->first : uint64_t{0},
                               c ? c->second : std::string{},
                               store.bytes_on_disk());
    },
  };
}

} // namespace shoal
