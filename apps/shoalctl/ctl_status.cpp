#include "apps/shoalctl/ctl_status.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "caf/all.hpp"

#include "actors/messages.hpp"
#include "apps/shoalctl/ctl_rejects.hpp"
#include "apps/shoalctl/ctl_request.hpp"
#include "runtime/core/errc.hpp"

namespace shoal {

namespace {

/// What `status` shows of one member.
struct member_row {
  member_info info;
  uint64_t nodes = 0;
  double firings_per_s = 0;
};

/// What `status` shows of one node.
struct node_row {
  std::string name;
  std::string member;
  std::string kind;
  node_counts counts;
  ingest_counts samples;
};

/// Most errors first, then most firings, then by name.
bool worse(const node_row& x, const node_row& y) {
  if (x.counts.errors != y.counts.errors)
    return x.counts.errors > y.counts.errors;
  auto fx = x.counts.firings + x.samples.accepted;
  auto fy = y.counts.firings + y.samples.accepted;
  if (fx != fy)
    return fx > fy;
  return x.name < y.name;
}

/// Nodes listed in the text form; -o json and -o wide list all.
constexpr size_t status_node_lines = 50;

/// The cluster's checkpoints, as its members report them: the newest
/// committed round, the rounds counted by leaders, and the nodes failed
/// over (warm ones resumed from a checkpoint).
struct checkpoint_row {
  uint64_t committed = 0;
  uint64_t rounds = 0;
  uint64_t failed = 0;
  double took_ms = 0;
  std::string failure;
  uint64_t warm = 0;
  uint64_t skipped = 0;
  /// Live samples failovers took back (each member counts them over the
  /// whole cluster: the largest count).
  uint64_t live_rolled_back = 0;
};

/// Asks every member for its view of checkpoints (a member that does not
/// answer within `timeout` adds nothing).
checkpoint_row checkpoint_summary(caf::scoped_actor& self,
                                  const std::vector<member_row>& members,
                                  std::chrono::milliseconds timeout) {
  checkpoint_row out;
  uint64_t most_rounds = 0;
  for (auto& m : members)
    self->request(m.info.handle, timeout, ckpt_atom_v, caf::get_atom_v)
      .receive(
        [&](uint64_t k, uint64_t rounds, uint64_t failed, int64_t took_us,
            std::string& why, uint64_t, uint64_t warm, uint64_t skipped,
            uint64_t rolled_back) {
          out.live_rolled_back = std::max(out.live_rolled_back, rolled_back);
          out.committed = std::max(out.committed, k);
          out.skipped += skipped;
          out.rounds += rounds;
          out.failed += failed;
          out.warm = std::max(out.warm, warm);
          if (rounds >= most_rounds) {
            most_rounds = rounds;
            out.took_ms = static_cast<double>(took_us) / 1000.0;
          }
          if (!why.empty())
            out.failure = std::move(why);
        },
        [](caf::error&) {});
  return out;
}

nlohmann::json checkpoint_json(const checkpoint_row& ck) {
  return {{"committed", ck.committed},
          {"rounds_committed", ck.rounds},
          {"rounds_failed", ck.failed},
          {"rounds_skipped", ck.skipped},
          {"last_took_ms", ck.took_ms},
          {"last_failure", ck.failure},
          {"live_samples_rolled_back", ck.live_rolled_back}};
}

void print_checkpoint_line(const checkpoint_row& ck) {
  std::printf("checkpoint: #%llu committed (%llu rounds, last took %.1f ms; "
              "%llu failed%s%s)",
              static_cast<unsigned long long>(ck.committed),
              static_cast<unsigned long long>(ck.rounds), ck.took_ms,
              static_cast<unsigned long long>(ck.failed),
              ck.failure.empty() ? "" : ", last: ", ck.failure.c_str());
  if (ck.live_rolled_back > 0)
    std::printf("; %llu live samples rolled back by failovers",
                static_cast<unsigned long long>(ck.live_rolled_back));
  std::printf("\n");
}

/// `status --checkpoint`: the figures alone.
void print_checkpoint(const checkpoint_row& ck, bool json) {
  if (json) {
    nlohmann::json doc = {{"checkpoint", checkpoint_json(ck)}};
    std::printf("%s\n", doc.dump().c_str());
    return;
  }
  print_checkpoint_line(ck);
}

} // namespace

int ctl_status(caf::scoped_actor& self, const caf::actor& member,
               const ctl_target& to, ctl_output output, bool checkpoint_only) {
  bool json = output == ctl_output::json;
  bool wide = output == ctl_output::wide;
  caf::error err;
  auto fail = [&](caf::error& x) {
    err = std::move(x);
  };
  auto timeout = to.timeout;
  std::vector<member_row> members;
  std::vector<member_info> infos;
  std::vector<std::string> down;
  graph_spec g;
  directory dir;
  uint64_t failed_over = 0;
  self->request(member, timeout, status_atom_v)
    .receive(
      [&](std::vector<member_info>& xs, std::vector<std::string>& departed,
          graph_spec& graph, directory& placed) {
        infos = xs;
        for (auto& x : xs)
          members.push_back(member_row{std::move(x)});
        down = std::move(departed);
        g = std::move(graph);
        dir = std::move(placed);
      },
      fail);
  if (!err)
    self->request(member, timeout, stats_atom_v)
      .receive(
        [&](uint64_t n) {
          failed_over = n;
        },
        fail);
  if (err)
    return ctl_failed(self, to, "status", err);
  auto ck = checkpoint_summary(self, members, to.timeout);
  if (checkpoint_only) {
    print_checkpoint(ck, json);
    return 0;
  }
  // Load and counters straight from every member's graph host; a member
  // that does not answer (within 5 s, or the deadline if shorter) shows
  // zeros.
  auto host_timeout
    = std::min<std::chrono::milliseconds>(std::chrono::seconds(5), timeout);
  std::unordered_map<std::string, node_counts> counts;
  std::unordered_map<std::string, ingest_counts> samples;
  for (auto& m : members) {
    self->request(m.info.host, host_timeout, load_atom_v)
      .receive(
        [&](uint64_t n, double fps) {
          m.nodes = n;
          m.firings_per_s = fps;
        },
        [](caf::error&) {});
    self->request(m.info.host, host_timeout, stats_atom_v)
      .receive(
        [&](std::vector<std::string>& xs, std::vector<node_counts>& cs,
            std::vector<ingest_counts>& ss, int64_t) {
          for (size_t i = 0; i < xs.size(); ++i) {
            counts[xs[i]] = cs[i];
            samples[xs[i]] = ss[i];
          }
        },
        [](caf::error&) {});
  }
  std::vector<node_row> nodes;
  for (auto& e : dir) {
    node_row r;
    r.name = e.name;
    r.member = e.member;
    if (auto j = g.find(e.name))
      r.kind = to_string(g.nodes[*j].kind);
    r.counts = counts[e.name];
    r.samples = samples[e.name];
    nodes.push_back(std::move(r));
  }
  std::sort(nodes.begin(), nodes.end(), worse);
  auto rejects = ask_rejects(self, infos, host_timeout);
  if (json) {
    auto doc = nlohmann::json::object();
    auto& ms = doc["members"] = nlohmann::json::array();
    for (auto& m : members)
      ms.push_back({{"name", m.info.name},
                    {"address", m.info.address},
                    {"nodes", m.nodes},
                    {"firings_per_s", m.firings_per_s}});
    doc["down"] = down;
    doc["nodes_failed_over"] = failed_over;
    doc["nodes_failed_over_warm"] = ck.warm;
    doc["checkpoint"] = checkpoint_json(ck);
    doc["rejected_input"] = rejects_json(rejects);
    auto& ns = doc["nodes"] = nlohmann::json::array();
    for (auto& n : nodes)
      ns.push_back({{"name", n.name},
                    {"member", n.member},
                    {"kind", n.kind},
                    {"firings", n.counts.firings},
                    {"outputs", n.counts.outputs},
                    {"errors", n.counts.errors},
                    {"last_error", n.counts.last_error},
                    {"samples_accepted", n.samples.accepted},
                    {"samples_rejected", n.samples.rejected_total()}});
    std::printf("%s\n", doc.dump().c_str());
    return 0;
  }
  std::printf("members (%zu):\n", members.size());
  for (auto& m : members)
    std::printf("  %-16s %-22s %8llu nodes %12.1f firings/s\n",
                m.info.name.c_str(), m.info.address.c_str(),
                static_cast<unsigned long long>(m.nodes), m.firings_per_s);
  if (!down.empty()) {
    std::printf("down:");
    for (auto& d : down)
      std::printf(" %s", d.c_str());
    std::printf(" (%llu nodes placed again: %llu from a checkpoint, %llu "
                "cold)\n",
                static_cast<unsigned long long>(failed_over),
                static_cast<unsigned long long>(ck.warm),
                static_cast<unsigned long long>(
                  failed_over - std::min(failed_over, ck.warm)));
  }
  if (ck.committed > 0 || ck.failed > 0)
    print_checkpoint_line(ck);
  print_rejects(rejects);
  if (nodes.empty()) {
    std::printf("no graph deployed\n");
    return 0;
  }
  size_t lines = wide ? nodes.size() : status_node_lines;
  std::printf("nodes (%zu%s):\n", nodes.size(),
              nodes.size() > lines
                ? ", most errors and firings first; -o wide for all"
                : "");
  // A sensor neither fires nor emits: its row has the samples it accepted
  // and rejected instead, in columns of their own with -o wide.
  std::printf("  %-24s %-10s %-8s %12s %12s %8s", "node", "member", "kind",
              "firings", "outputs", "errors");
  if (wide)
    std::printf(" %12s %12s", "accepted", "rejected");
  std::printf("  %s\n", "last error");
  auto num = [](bool shown, uint64_t n) {
    return shown ? std::to_string(n) : std::string{"-"};
  };
  for (size_t i = 0; i < nodes.size() && i < lines; ++i) {
    auto& n = nodes[i];
    bool sensor = n.kind == "sensor";
    std::string note = n.counts.last_error;
    if (sensor && !wide)
      note = "samples: " + std::to_string(n.samples.accepted) + " accepted, "
             + std::to_string(n.samples.rejected_total()) + " rejected";
    std::printf("  %-24s %-10s %-8s %12s %12s %8s", n.name.c_str(),
                n.member.c_str(), n.kind.c_str(),
                num(!sensor, n.counts.firings).c_str(),
                num(!sensor, n.counts.outputs).c_str(),
                num(!sensor, n.counts.errors).c_str());
    if (wide)
      std::printf(" %12s %12s", num(sensor, n.samples.accepted).c_str(),
                  num(sensor, n.samples.rejected_total()).c_str());
    std::printf("  %s\n", note.c_str());
  }
  return 0;
}

} // namespace shoal
