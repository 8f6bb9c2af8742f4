#include "actors/cluster/directory.hpp"

#include <algorithm>

namespace shoal {

void directory::sync_index() const {
  if (index_.size() == entries_.size())
    return;
  index_.clear();
  for (size_t i = 0; i < entries_.size(); ++i)
    index_.emplace(entries_[i].name, i);
}

void directory::put(std::string name, caf::actor actor, std::string member) {
  sync_index();
  if (auto i = index_.find(name); i != index_.end()) {
    auto& e = entries_[i->second];
    e.actor = std::move(actor);
    e.member = std::move(member);
    return;
  }
  index_.emplace(name, entries_.size());
  entries_.push_back({std::move(name), std::move(actor), std::move(member)});
}

const directory_entry* directory::find(const std::string& name) const {
  sync_index();
  auto i = index_.find(name);
  return i == index_.end() ? nullptr : &entries_[i->second];
}

caf::actor directory::actor_of(const std::string& name) const {
  auto e = find(name);
  return e ? e->actor : caf::actor{};
}

size_t directory::count_on(const std::string& member) const {
  return static_cast<size_t>(std::count_if(entries_.begin(), entries_.end(),
                                           [&](const directory_entry& e) {
                                             return e.member == member;
                                           }));
}

std::vector<std::string> directory::names() const {
  std::vector<std::string> xs;
  for (auto& e : entries_)
    xs.push_back(e.name);
  return xs;
}

std::vector<caf::actor> directory::actors() const {
  std::vector<caf::actor> xs;
  for (auto& e : entries_)
    xs.push_back(e.actor);
  return xs;
}

} // namespace shoal
