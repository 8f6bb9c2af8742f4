// What one member's own nodes did on it: what the member's /metrics
// exports (docs/http.md, "Scraping a cluster").
//
// Prometheus scrapes every member and sums over them, and reads any drop of
// a counter as a restart. So a member exports only the work of the nodes
// placed on it, and each figure only goes up: a node's counters travel with
// it (a move, a restore from a checkpoint), so a member counts a node from
// the counters it arrived with (runtime/core/counts_slot.hpp), and when the
// node leaves (moved away, replaced, removed, stopped at the end of its
// stream) the `work_ledger` adds what it did here to the retired totals of
// its kind. Pure values; a ledger belongs to one graph host, not
// thread-safe.

#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/core/counters.hpp"
#include "runtime/core/counts_slot.hpp"
#include "runtime/graph/graph_spec.hpp"

namespace shoal {

/// One node's work on this member since it arrived here.
struct node_work {
  std::string name;
  node_kind kind = node_kind::sensor;
  /// Features and models.
  node_counts counts;
  /// Sensors.
  ingest_counts samples;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, node_work& x) {
  return f(x.name, x.kind, x.counts, x.samples);
}

/// The work node `name` of `kind` did here, as its slot says.
node_work work_of(const std::string& name, node_kind kind,
                  const counts_slot& slot);

/// The work of a member's own nodes: of those placed on it now (since
/// each arrived) plus the retired totals of those that left.
struct member_work {
  /// Nodes placed here now, by kind (indexed by node_kind).
  std::array<uint64_t, 3> nodes{};
  /// Firings, outputs and errors of its features and of its models.
  node_counts features;
  node_counts models;
  /// Samples its sensors accepted and rejected, by reason.
  ingest_counts samples;
  /// Every node placed here now, with its work here.
  std::vector<node_work> per_node;

  /// The counters of features or models (`kind` is not a sensor).
  node_counts& of(node_kind kind) {
    return kind == node_kind::model ? models : features;
  }
  const node_counts& of(node_kind kind) const {
    return kind == node_kind::model ? models : features;
  }

  /// Adds a node placed here now, with what it counted here.
  void add_live(node_work n);

  /// Raises every total to at least its figure in `before` (the previous
  /// refresh): a source that did not answer in time, or a node's last
  /// batch counted between its slot's last read and its retirement, must
  /// not make a counter go down.
  void keep_at_least(const member_work& before);
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, member_work& x) {
  return f(x.nodes, x.features, x.models, x.samples, x.per_node);
}

/// The retired totals of one member: what nodes that left it did there.
class work_ledger {
public:
  /// A node leaves with `here`, what it counted here.
  void retire(const node_work& here);

  /// The retired totals, to which the host adds its live nodes.
  member_work totals() const;

private:
  node_counts features_;
  node_counts models_;
  ingest_counts samples_;
};

} // namespace shoal
