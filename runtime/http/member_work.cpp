#include "runtime/http/member_work.hpp"

#include <utility>

namespace shoal {

namespace {

/// Adds the figures of `x`; the last error is not a figure.
void add(node_counts& to, const node_counts& x) {
  to.firings += x.firings;
  to.outputs += x.outputs;
  to.errors += x.errors;
}

} // namespace

node_work work_of(const std::string& name, node_kind kind,
                  const counts_slot& slot) {
  node_work w;
  w.name = name;
  w.kind = kind;
  if (kind == node_kind::sensor)
    w.samples = slot.samples_here();
  else
    w.counts = slot.node_here();
  return w;
}

void member_work::add_live(node_work n) {
  ++nodes[static_cast<size_t>(n.kind)];
  if (n.kind == node_kind::sensor)
    samples.merge(n.samples);
  else
    add(of(n.kind), n.counts);
  per_node.push_back(std::move(n));
}

void member_work::keep_at_least(const member_work& before) {
  auto raise = [](uint64_t& x, uint64_t floor) {
    if (x < floor)
      x = floor;
  };
  for (auto [now, then] : {std::pair{&features, &before.features},
                           std::pair{&models, &before.models}}) {
    raise(now->firings, then->firings);
    raise(now->outputs, then->outputs);
    raise(now->errors, then->errors);
  }
  raise(samples.accepted, before.samples.accepted);
  for (size_t i = 0; i < reject_reason_count; ++i)
    raise(samples.rejected[i], before.samples.rejected[i]);
}

void work_ledger::retire(const node_work& here) {
  switch (here.kind) {
    case node_kind::sensor: samples_.merge(here.samples); break;
    case node_kind::feature: add(features_, here.counts); break;
    case node_kind::model: add(models_, here.counts); break;
  }
}

member_work work_ledger::totals() const {
  member_work w;
  w.features = features_;
  w.models = models_;
  w.samples = samples_;
  return w;
}

} // namespace shoal
