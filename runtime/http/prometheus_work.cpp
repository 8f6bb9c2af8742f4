// The work families of /metrics: samples, firings, outputs, errors, nodes
// and the backlog, for the whole cluster or for the serving member only,
// and the per-node series (runtime/http/prometheus_writer.hpp).

#include <array>
#include <map>
#include <set>
#include <vector>

#include "runtime/http/prometheus_writer.hpp"

namespace shoal {

namespace {

constexpr node_kind firing_kinds[] = {node_kind::feature, node_kind::model};

constexpr node_kind all_kinds[]
  = {node_kind::sensor, node_kind::feature, node_kind::model};

constexpr const char* samples_help
  = "Samples received by the sources of a member, by outcome (accepted or "
    "the reject reason).";
constexpr const char* firings_help
  = "Calls of node functions (one per firing timestamp).";
constexpr const char* outputs_help = "Outputs produced (finite values).";
constexpr const char* errors_help
  = "Firings that failed or returned a non-finite value.";
constexpr const char* nodes_help = "Graph nodes placed on a member.";
constexpr const char* backlog_help
  = "Batches sent to a member's actors and not yet handled.";

/// Counters of one member and node kind.
struct kind_sums {
  uint64_t nodes = 0;
  node_counts counts;
};

using member_sums = std::map<std::string, std::array<kind_sums, 3>>;

/// The members to report, in the model's order, then members that only
/// appear in a node's placement, sorted.
std::vector<std::string> member_names(const status_model& model) {
  std::vector<std::string> names;
  std::set<std::string> seen;
  for (auto& m : model.members)
    if (seen.insert(m.name).second)
      names.push_back(m.name);
  std::set<std::string> extra;
  for (auto& n : model.nodes)
    if (seen.count(n.member) == 0)
      extra.insert(n.member);
  names.insert(names.end(), extra.begin(), extra.end());
  return names;
}

void write_samples(metrics_writer& w, const std::string& member,
                   const ingest_counts& samples) {
  w.sample("shoal_samples_total", {"member", member, "reason", "accepted"},
           samples.accepted);
  for (size_t i = 0; i < reject_reason_count; ++i)
    w.sample(
      "shoal_samples_total",
      {"member", member, "reason", to_string(static_cast<reject_reason>(i))},
      samples.rejected[i]);
}

/// The backlog as a gauge that cannot go below zero: a batch taken before
/// its sender counted it may make the difference -1 for a moment.
std::string backlog_value(int64_t backlog) {
  return std::to_string(backlog < 0 ? 0 : backlog);
}

/// The per-node series of the nodes chosen (runtime/http/node_metrics.hpp).
void write_per_node(metrics_writer& w, const own_status& own) {
  auto& nodes = own.work.per_node;
  using field = uint64_t node_counts::*;
  struct family {
    const char* name;
    const char* help;
    field f;
  };
  const family families[] = {
    {"shoal_node_firings_total",
     "Calls of a chosen node's function on this member.",
     &node_counts::firings},
    {"shoal_node_outputs_total", "Outputs of a chosen node on this member.",
     &node_counts::outputs},
    {"shoal_node_errors_total",
     "Failed or non-finite firings of a chosen node on this member.",
     &node_counts::errors},
  };
  for (auto& fam : families) {
    w.header(fam.name, "counter", fam.help);
    for (auto& n : nodes)
      if (n.kind != node_kind::sensor)
        w.sample(
          fam.name,
          {"member", own.member, "node", n.name, "kind", to_string(n.kind)},
          n.counts.*(fam.f));
  }
  w.header("shoal_node_samples_rejected_total", "counter",
           "Samples a chosen sensor rejected on this member, by reason.");
  for (auto& n : nodes) {
    if (n.kind != node_kind::sensor)
      continue;
    for (size_t i = 0; i < reject_reason_count; ++i)
      w.sample("shoal_node_samples_rejected_total",
               {"member", own.member, "node", n.name, "reason",
                to_string(static_cast<reject_reason>(i))},
               n.samples.rejected[i]);
  }
}

} // namespace

void write_cluster_work(metrics_writer& w, const status_model& model) {
  w.header("shoal_samples_total", "counter", samples_help);
  for (auto& m : model.members)
    write_samples(w, m.name, m.samples);
  member_sums sums;
  for (auto& n : model.nodes) {
    auto& s = sums[n.member][static_cast<size_t>(n.kind)];
    ++s.nodes;
    s.counts.firings += n.counts.firings;
    s.counts.outputs += n.counts.outputs;
    s.counts.errors += n.counts.errors;
  }
  auto names = member_names(model);
  auto per_kind
    = [&](const char* name, const char* help, uint64_t node_counts::*field) {
        w.header(name, "counter", help);
        for (auto& member : names)
          for (auto kind : firing_kinds)
            w.sample(name, {"member", member, "kind", to_string(kind)},
                     sums[member][static_cast<size_t>(kind)].counts.*field);
      };
  per_kind("shoal_firings_total", firings_help, &node_counts::firings);
  per_kind("shoal_outputs_total", outputs_help, &node_counts::outputs);
  per_kind("shoal_errors_total", errors_help, &node_counts::errors);
  w.header("shoal_nodes", "gauge", nodes_help);
  for (auto& member : names)
    for (auto kind : all_kinds)
      w.sample("shoal_nodes", {"member", member, "kind", to_string(kind)},
               sums[member][static_cast<size_t>(kind)].nodes);
  w.header("shoal_mailbox_backlog", "gauge", backlog_help);
  for (auto& m : model.members)
    w.sample("shoal_mailbox_backlog", {"member", m.name},
             backlog_value(m.backlog));
}

void write_own_work(metrics_writer& w, const own_status& own) {
  auto& work = own.work;
  w.header("shoal_samples_total", "counter", samples_help);
  write_samples(w, own.member, work.samples);
  auto per_kind
    = [&](const char* name, const char* help, uint64_t node_counts::*field) {
        w.header(name, "counter", help);
        for (auto kind : firing_kinds)
          w.sample(name, {"member", own.member, "kind", to_string(kind)},
                   work.of(kind).*field);
      };
  per_kind("shoal_firings_total", firings_help, &node_counts::firings);
  per_kind("shoal_outputs_total", outputs_help, &node_counts::outputs);
  per_kind("shoal_errors_total", errors_help, &node_counts::errors);
  w.header("shoal_nodes", "gauge", nodes_help);
  for (auto kind : all_kinds)
    w.sample("shoal_nodes", {"member", own.member, "kind", to_string(kind)},
             work.nodes[static_cast<size_t>(kind)]);
  w.header("shoal_mailbox_backlog", "gauge", backlog_help);
  w.sample("shoal_mailbox_backlog", {"member", own.member},
           backlog_value(own.backlog));
  if (!work.per_node.empty())
    write_per_node(w, own);
}

} // namespace shoal
