#include "actors/cluster/reject_gather.hpp"

#include <memory>

#include "caf/all.hpp"

namespace shoal {

void gather_rejects(caf::event_based_actor* self,
                    const std::vector<caf::actor>& sources,
                    const std::vector<member_info>& members,
                    const std::string& own_name,
                    std::chrono::milliseconds timeout,
                    std::function<void(gathered_rejects&)> done) {
  struct pending {
    gathered_rejects got;
    size_t left = 1;
    std::function<void(gathered_rejects&)> done;
    void one_done() {
      if (--left == 0)
        done(got);
    }
  };
  auto p = std::make_shared<pending>();
  p->done = std::move(done);
  p->left += sources.size();
  for (auto& m : members)
    if (m.name != own_name)
      ++p->left;
  for (auto& src : sources)
    self->request(src, timeout, reject_atom_v)
      .then(
        [p](reject_log& x) {
          p->got.own.merge(x);
          p->one_done();
        },
        [p](caf::error&) {
          p->one_done();
        });
  for (auto& m : members) {
    if (m.name == own_name)
      continue;
    auto name = m.name;
    self->request(m.handle, timeout, reject_atom_v)
      .then(
        [p, name](reject_log& x) {
          p->got.members[name] = std::move(x);
          p->one_done();
        },
        [p](caf::error&) {
          p->one_done();
        });
  }
  p->one_done();
}

void store_rejects(caf::event_based_actor* self, const caf::actor& member,
                   const std::string& own_name, gathered_rejects& why,
                   status_model& model) {
  for (auto& m : model.members)
    m.rejects = m.name == own_name ? why.own : std::move(why.members[m.name]);
  self
    ->request(member, std::chrono::seconds(1), reject_atom_v,
              std::move(why.own))
    .then([] {}, [](caf::error&) {});
}

} // namespace shoal
