#include "apps/shoal-bench/output_log.hpp"

#include <algorithm>
#include <functional>
#include <tuple>

namespace shoal {

uint64_t output_log::hash(const std::string& name) {
  return std::hash<std::string>{}(name);
}

output_log::output_log(const graph_spec& g) {
  auto names
    = std::make_shared<std::vector<std::pair<uint64_t, std::string>>>();
  for (const auto& n : g.nodes)
    if (n.emit)
      names->emplace_back(hash(n.name), n.name);
  std::sort(names->begin(), names->end());
  for (size_t i = 1; i < names->size(); ++i)
    if ((*names)[i - 1].first == (*names)[i].first)
      collision_ = true;
  names_ = std::move(names);
}

std::string output_log::name_of(uint64_t h) const {
  if (!names_)
    return "?";
  auto i = std::lower_bound(names_->begin(), names_->end(),
                            std::make_pair(h, std::string{}));
  return i != names_->end() && i->first == h ? i->second : "?";
}

void output_log::sort() {
  if (sorted_)
    return;
  std::sort(rows_.begin(), rows_.end(), [](const row& x, const row& y) {
    return std::tie(x.node, x.ts, x.value) < std::tie(y.node, y.ts, y.value);
  });
  sorted_ = true;
}

uint64_t output_log::unknown() {
  sort();
  uint64_t result = 0;
  // Rows and names both sorted by hash: one merge pass.
  size_t j = 0;
  const auto* names = names_.get();
  for (const auto& r : rows_) {
    while (names && j < names->size() && (*names)[j].first < r.node)
      ++j;
    if (!names || j == names->size() || (*names)[j].first != r.node)
      ++result;
  }
  return result;
}

bool equal(output_log& x, output_log& y, std::string& why) {
  if (x.collision_ || y.collision_) {
    why = "two emitting nodes share a name hash; cannot compare";
    return false;
  }
  if (x.unknown() != 0 || y.unknown() != 0) {
    why = "outputs of nodes that do not emit";
    return false;
  }
  if (x.rows_.size() != y.rows_.size()) {
    why = std::to_string(x.rows_.size()) + " outputs against "
          + std::to_string(y.rows_.size());
    return false;
  }
  auto [a, b] = std::mismatch(x.rows_.begin(), x.rows_.end(), y.rows_.begin());
  if (a != x.rows_.end()) {
    why = "first difference at node '" + x.name_of(a->node) + "', ts "
          + std::to_string(a->ts) + " against node '" + y.name_of(b->node)
          + "', ts " + std::to_string(b->ts);
    return false;
  }
  return true;
}

} // namespace shoal
