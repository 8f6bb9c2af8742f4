#include "runtime/bench/output_log.hpp"

#include <algorithm>
#include <tuple>

namespace shoal {

output_log::output_log(const graph_spec& g) {
  auto index = std::make_shared<std::unordered_map<std::string, uint32_t>>();
  index->reserve(g.nodes.size());
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (g.nodes[i].emit)
      index->emplace(g.nodes[i].name, static_cast<uint32_t>(i));
  index_ = std::move(index);
}

void output_log::add(const std::string& node, int64_t ts, double value) {
  if (!index_) {
    ++unknown_;
    return;
  }
  auto i = index_->find(node);
  if (i == index_->end()) {
    ++unknown_;
    return;
  }
  rows_.push_back(row{i->second, ts, value});
  sorted_ = false;
}

void output_log::sort() {
  if (sorted_)
    return;
  std::sort(rows_.begin(), rows_.end(), [](const row& x, const row& y) {
    return std::tie(x.node, x.ts, x.value) < std::tie(y.node, y.ts, y.value);
  });
  sorted_ = true;
}

bool equal(output_log& x, output_log& y, std::string& why) {
  if (x.unknown_ != 0 || y.unknown_ != 0) {
    why = "outputs of nodes that do not emit";
    return false;
  }
  if (x.rows_.size() != y.rows_.size()) {
    why = std::to_string(x.rows_.size()) + " outputs against "
          + std::to_string(y.rows_.size());
    return false;
  }
  x.sort();
  y.sort();
  auto [a, b] = std::mismatch(x.rows_.begin(), x.rows_.end(), y.rows_.begin());
  if (a != x.rows_.end()) {
    why = "first difference at node #" + std::to_string(a->node) + ", ts "
          + std::to_string(a->ts) + " against node #" + std::to_string(b->node)
          + ", ts " + std::to_string(b->ts);
    return false;
  }
  return true;
}

} // namespace shoal
