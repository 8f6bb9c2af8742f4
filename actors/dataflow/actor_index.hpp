// Finding an actor among the entries of a vector in constant time.
//
// A publisher keeps its subscribers, and an outbox its receivers, in a
// vector whose order is the order of sending. Looking one up by a linear
// search made a node with N subscribers cost N^2 / 2 handle comparisons to
// wire (and a cell's outbox as much per run): 100,000 features on one sensor
// did not load in 90 s. `actor_index` maps each actor to its position in
// such a vector. Below `min_indexed` entries it keeps nothing and searches
// the vector, so the many nodes with a few subscribers pay one pointer for
// it. The owner tells it how the vector changes; owned by one actor, not
// thread-safe.

#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "caf/actor.hpp"

namespace shoal {

class actor_index {
public:
  /// Returned by `find` for an actor that is not there.
  static constexpr size_t npos = SIZE_MAX;

  /// The entry count from which the index is kept.
  static constexpr size_t min_indexed = 16;

  /// The position of the first entry of `items` whose actor, `handle(item)`,
  /// equals `x`, or `npos`.
  template <class T, class Handle>
  size_t find(const std::vector<T>& items, const caf::actor& x,
              Handle handle) const {
    if (map_) {
      auto i = map_->find(x);
      return i != map_->end() ? i->second : npos;
    }
    for (size_t i = 0; i < items.size(); ++i)
      if (handle(items[i]) == x)
        return i;
    return npos;
  }

  /// `items` got one more entry, at its back.
  template <class T, class Handle>
  void pushed(const std::vector<T>& items, Handle handle) {
    if (map_)
      map_->emplace(handle(items.back()), items.size() - 1);
    else if (items.size() >= min_indexed)
      rebuild(items, handle);
  }

  /// The entry at `pos` now holds actor `to` instead of `from`.
  void replaced(const caf::actor& from, const caf::actor& to, size_t pos) {
    if (!map_)
      return;
    auto i = map_->find(from);
    if (i != map_->end() && i->second == pos)
      map_->erase(i);
    auto [j, added] = map_->emplace(to, pos);
    if (!added && j->second > pos)
      j->second = pos;
  }

  /// Indexes `items` again after entries moved (an erase).
  template <class T, class Handle>
  void rebuild(const std::vector<T>& items, Handle handle) {
    if (items.size() < min_indexed) {
      map_.reset();
      return;
    }
    map_ = std::make_unique<map_type>();
    map_->reserve(items.size());
    for (size_t i = 0; i < items.size(); ++i)
      map_->emplace(handle(items[i]), i); // the first of equal ones wins
  }

  /// The vector was emptied.
  void clear() {
    map_.reset();
  }

private:
  using map_type = std::unordered_map<caf::actor, size_t>;

  std::unique_ptr<map_type> map_;
};

} // namespace shoal
