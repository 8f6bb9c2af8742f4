// Where each node of a deployed cluster graph runs: node name -> actor and
// member.
//
// A value type: the coordinator of graph changes builds one per deployment
// (actors/cluster/coordinator.hpp) and every member, the member's live I/O,
// the status collector and shoalctl get a copy in `deploy_atom` and
// `status_atom` messages. Entries keep the order they were added in (the
// graph's topological order), so iteration is the same on every member.
// Lookups by name go through an index that is rebuilt after the directory
// crossed the network. Not thread-safe: one owner at a time, like any value.

#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include "caf/actor.hpp"

namespace shoal {

/// One node of a deployment: its name, its actor and the member it runs on.
struct directory_entry {
  std::string name;
  caf::actor actor;
  std::string member;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, directory_entry& x) {
  return f(x.name, x.actor, x.member);
}

class directory {
public:
  using value_type = directory_entry;
  using const_iterator = std::vector<directory_entry>::const_iterator;

  /// Adds the node `name` at the end, or, if present, moves it to `actor`
  /// on `member` in its place.
  void put(std::string name, caf::actor actor, std::string member);

  /// The entry of `name`, or null.
  const directory_entry* find(const std::string& name) const;

  /// The actor of `name`, or an invalid handle.
  caf::actor actor_of(const std::string& name) const;

  /// How many nodes run on `member`.
  size_t count_on(const std::string& member) const;

  /// The node names, in order (for graph hosts' `wire_atom`).
  std::vector<std::string> names() const;

  /// The node actors, in order (for graph hosts' `wire_atom`).
  std::vector<caf::actor> actors() const;

  bool empty() const {
    return entries_.empty();
  }

  size_t size() const {
    return entries_.size();
  }

  const_iterator begin() const {
    return entries_.begin();
  }

  const_iterator end() const {
    return entries_.end();
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, directory& x) {
    // A loaded directory gets a new index on its first lookup.
    x.index_.clear();
    return f(x.entries_);
  }

private:
  /// Rebuilds `index_` if it does not cover `entries_`.
  void sync_index() const;

  std::vector<directory_entry> entries_;
  /// Name -> position in `entries_`.
  mutable std::unordered_map<std::string, size_t> index_;
};

} // namespace shoal
