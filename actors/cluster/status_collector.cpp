#include "actors/cluster/status_collector.hpp"

#include <algorithm>
#include <unordered_map>

#include "caf/all.hpp"

#include "actors/cluster/reject_gather.hpp"
#include "actors/messages.hpp"

namespace shoal {

namespace {

using self_ptr = caf::stateful_actor<status_collector_state>*;

/// How long a refresh waits for the member actor and for each graph host.
constexpr auto ask_timeout = std::chrono::seconds(1);

int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
           std::chrono::steady_clock::now().time_since_epoch())
    .count();
}

uint64_t samples_of(const totals_status& t) {
  return t.samples.accepted + t.samples.rejected_total();
}

/// One refresh under way: the model so far and the answers still missing.
struct refresh {
  status_model model;
  member_readiness ready;
  /// The nodes whose host answered.
  std::vector<bool> answered;
  std::map<std::string, int64_t> backlog;
  /// Rejected by this member's sources before reaching a sensor.
  ingest_counts source_rejects;
  /// Why input was rejected, this member's and the others'.
  gathered_rejects why;
  uint64_t store_bytes = 0;
  /// This member's own work, once its host answered.
  std::optional<member_work> own;
  latency_histogram own_latency;
  size_t pending = 0;
};

/// Adds the live samples that sensors which took over a state lost (see
/// the header), and remembers what each sensor answered.
bool count_rolled_back(status_collector_state& st, const refresh& r) {
  auto before = st.live_rolled_back;
  for (size_t i = 0; i < r.model.nodes.size(); ++i) {
    auto& n = r.model.nodes[i];
    if (n.kind != node_kind::sensor || !r.answered[i])
      continue;
    auto now
      = status_collector_state::live_seen{n.samples.live, n.samples.live_base};
    auto [seen, first] = st.last_live.emplace(n.name, now);
    if (!first) {
      if (now.base != seen->second.base && seen->second.live > now.base)
        st.live_rolled_back += seen->second.live - now.base;
      seen->second = now;
    }
  }
  return st.live_rolled_back != before;
}

/// Sums the nodes' counters per member and over all, computes the rates
/// since the previous refresh and stores the model.
void finish(self_ptr self, refresh& r) {
  auto& st = self->state;
  auto now = steady_ns();
  double dt
    = st.last_ns == 0 ? 0.0 : static_cast<double>(now - st.last_ns) / 1e9;
  auto rate = [dt](uint64_t x, uint64_t before) {
    return dt > 0 && x >= before ? static_cast<double>(x - before) / dt : 0.0;
  };
  std::map<std::string, member_status*> by_name;
  for (auto& m : r.model.members)
    by_name[m.name] = &m;
  std::map<std::string, uint64_t> firings;
  auto& t = r.model.totals;
  for (auto& n : r.model.nodes) {
    auto i = by_name.find(n.member);
    if (i != by_name.end()) {
      ++i->second->nodes;
      i->second->samples.merge(n.samples);
    }
    firings[n.member] += n.counts.firings;
    t.samples.merge(n.samples);
    t.firings += n.counts.firings;
    t.outputs += n.counts.outputs;
    t.errors += n.counts.errors;
  }
  if (auto i = by_name.find(st.opts.name); i != by_name.end())
    i->second->samples.merge(r.source_rejects);
  store_rejects(self, st.member, st.opts.name, r.why, r.model);
  t.samples.merge(r.source_rejects);
  for (auto& m : r.model.members) {
    auto b = r.backlog.find(m.name);
    m.backlog = b == r.backlog.end() ? 0 : b->second;
    t.backlog += m.backlog;
    auto x = firings[m.name];
    auto before = st.last_firings.find(m.name);
    m.load = before == st.last_firings.end() ? 0.0 : rate(x, before->second);
  }
  auto& last = st.last_totals;
  t.samples_per_s = rate(samples_of(t), samples_of(last));
  t.firings_per_s = rate(t.firings, last.firings);
  t.outputs_per_s = rate(t.outputs, last.outputs);
  t.errors_per_s = rate(t.errors, last.errors);
  if (st.opts.endpoints)
    r.model.endpoints = st.opts.endpoints();
  // Answers arrive in any order; listed by name, they keep their places.
  std::sort(r.model.sources.begin(), r.model.sources.end(),
            [](const source_status& a, const source_status& b) {
              return a.name < b.name;
            });
  // A host that did not answer leaves the last figures: zeros would read
  // as a restart to Prometheus.
  if (r.own) {
    r.own->samples.merge(r.source_rejects);
    r.own->per_node
      = select_node_metrics(std::move(r.own->per_node), st.opts.node_metrics);
    r.own->keep_at_least(st.last_own);
    st.last_own = std::move(*r.own);
  }
  own_status own;
  own.member = st.opts.name;
  own.work = st.last_own;
  if (auto b = r.backlog.find(st.opts.name); b != r.backlog.end())
    own.backlog = b->second;
  own.latency = std::move(r.own_latency);
  r.model.own = std::move(own);
  if (count_rolled_back(st, r))
    // For `shoalctl status`, which asks the member.
    self->send(st.member, ckpt_atom_v, report_atom_v, st.live_rolled_back);
  if (r.model.checkpoints) {
    r.model.checkpoints->store_bytes = r.store_bytes;
    r.model.checkpoints->live_rolled_back = st.live_rolled_back;
  }
  st.last_ns = now;
  st.last_totals = t;
  st.last_firings = std::move(firings);
  st.board->store(std::move(r.model), std::move(r.ready));
  st.busy = false;
}

/// Makes `st.index` the index of `nodes` by name, unless it is already
/// (the graph did not change since the last refresh: one pass of string
/// comparisons instead of hashing every name every second).
void index_nodes(status_collector_state& st,
                 const std::vector<node_status>& nodes) {
  auto same = st.index_names.size() == nodes.size();
  for (size_t i = 0; same && i < nodes.size(); ++i)
    same = st.index_names[i] == nodes[i].name;
  if (same)
    return;
  st.index_names.clear();
  st.index.clear();
  st.index.reserve(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    st.index_names.push_back(nodes[i].name);
    st.index.emplace(nodes[i].name, i);
  }
  ++st.index_generation;
}

/// Where each node a host named (in its order) is in the model: the same
/// as last time when the host named the same nodes and the index did not
/// change.
const std::vector<size_t>& positions_of(status_collector_state& st,
                                        const std::string& member,
                                        const std::vector<std::string>& names) {
  auto& c = st.host_order[member];
  if (c.generation == st.index_generation && c.names == names)
    return c.at;
  c.generation = st.index_generation;
  c.names = names;
  c.at.clear();
  c.at.reserve(names.size());
  for (auto& name : names) {
    auto i = st.index.find(name);
    c.at.push_back(i == st.index.end() ? status_collector_state::no_node
                                       : i->second);
  }
  return c.at;
}

/// Sets every node's member from the directory, through the positions of
/// the directory's names found last time while they are the same.
void place_nodes(status_collector_state& st, const directory& dir,
                 std::vector<node_status>& nodes) {
  auto& c = st.dir_order;
  auto same
    = c.generation == st.index_generation && c.names.size() == dir.size();
  size_t j = 0;
  for (auto i = dir.begin(); same && i != dir.end(); ++i)
    same = c.names[j++] == i->name;
  if (!same) {
    c.generation = st.index_generation;
    c.names.clear();
    c.at.clear();
    for (auto& e : dir) {
      c.names.push_back(e.name);
      auto k = st.index.find(e.name);
      c.at.push_back(k == st.index.end() ? status_collector_state::no_node
                                         : k->second);
    }
  }
  j = 0;
  for (auto& e : dir)
    if (auto at = c.at[j++]; at != status_collector_state::no_node)
      nodes[at].member = e.member;
}

/// Asks every live member's graph host for its nodes' counters, and
/// every member for the output latency its sinks measured.
void ask_hosts(self_ptr self, std::shared_ptr<refresh> r,
               const std::vector<member_info>& members) {
  auto one_done = [self, r] {
    if (--r->pending == 0)
      finish(self, *r);
  };
  std::vector<caf::actor> sources;
  if (self->state.opts.sources)
    sources = self->state.opts.sources();
  r->pending = 2 * members.size() + 2 * sources.size() + 5;
  gather_rejects(self, sources, members, self->state.opts.name, ask_timeout,
                 [r, one_done](gathered_rejects& why) {
                   r->why = std::move(why);
                   one_done();
                 });
  // This member's view of checkpoints, and its store's size.
  self->request(self->state.member, ask_timeout, ckpt_atom_v, caf::get_atom_v)
    .then(
      [r, one_done](uint64_t k, uint64_t rounds, uint64_t failed,
                    int64_t took_us, std::string&, uint64_t failed_over,
                    uint64_t warm, uint64_t skipped, uint64_t) {
        auto& ck = r->model.checkpoints;
        if (!ck)
          ck.emplace();
        ck->committed = k;
        ck->rounds_committed = rounds;
        ck->rounds_failed = failed;
        ck->last_took_s = static_cast<double>(took_us) / 1e6;
        ck->nodes_failed_over = failed_over;
        ck->nodes_warm = warm;
        ck->rounds_skipped = skipped;
        one_done();
      },
      [one_done](caf::error&) {
        one_done();
      });
  caf::actor own_host;
  for (auto& m : members)
    if (m.name == self->state.opts.name)
      own_host = m.host;
  self->request(own_host, ask_timeout, ckpt_atom_v, caf::get_atom_v)
    .then(
      [r, one_done](uint64_t, std::string&, uint64_t bytes) {
        r->store_bytes = bytes;
        one_done();
      },
      [one_done](caf::error&) {
        one_done();
      });
  self->request(own_host, ask_timeout, work_atom_v)
    .then(
      [r, one_done](member_work& w) {
        r->own = std::move(w);
        one_done();
      },
      [one_done](caf::error&) {
        one_done();
      });
  // Output latency as measured by every member's sinks, merged.
  for (auto& m : members) {
    bool own = m.name == self->state.opts.name;
    self->request(m.handle, ask_timeout, latency_atom_v)
      .then(
        [r, one_done, own](std::vector<uint64_t>& xs) {
          r->model.latency.merge_numbers(xs);
          if (own)
            r->own_latency.merge_numbers(xs);
          one_done();
        },
        [one_done](caf::error&) {
          one_done();
        });
  }
  for (auto& src : sources) {
    self->request(src, ask_timeout, stats_atom_v)
      .then(
        [r, one_done](ingest_counts& counts, std::vector<std::string>&,
                      uint64_t) {
          // Accepted samples are counted by the sensors.
          counts.accepted = 0;
          r->source_rejects.merge(counts);
          one_done();
        },
        [one_done](caf::error&) {
          one_done();
        });
  }
  // Each source's watermark lag and backlog; a source that does not answer
  // is left out.
  for (auto& src : sources) {
    self->request(src, ask_timeout, stats_atom_v, caf::get_atom_v)
      .then(
        [r, one_done](std::string& name, int64_t wm, int64_t lag,
                      uint64_t queued, bool full, uint64_t refused) {
          r->model.sources.push_back(make_source_status(
            std::move(name), wm, lag, queued, full, refused));
          one_done();
        },
        [one_done](caf::error&) {
          one_done();
        });
  }
  for (auto& m : members) {
    if (!m.host) {
      one_done();
      continue;
    }
    auto name = m.name;
    self->request(m.host, ask_timeout, stats_atom_v)
      .then(
        [self, r, name, one_done](
          std::vector<std::string>& names, std::vector<node_counts>& counts,
          std::vector<ingest_counts>& samples, int64_t backlog) {
          r->backlog[name] = backlog;
          auto& at = positions_of(self->state, name, names);
          for (size_t k = 0; k < names.size(); ++k) {
            if (at[k] == status_collector_state::no_node)
              continue;
            auto& n = r->model.nodes[at[k]];
            if (k < counts.size())
              n.counts = std::move(counts[k]);
            if (k < samples.size())
              n.samples = std::move(samples[k]);
            r->answered[at[k]] = true;
          }
          one_done();
        },
        [one_done](caf::error&) {
          one_done();
        });
  }
  one_done();
}

/// Asks the member what readiness needs, then the hosts. Asked after the
/// status, so that a status showing a deployment never comes with an older
/// answer that none was deployed.
void ask_ready(self_ptr self, std::shared_ptr<refresh> r,
               std::vector<member_info> members) {
  self->request(self->state.member, ask_timeout, ready_atom_v)
    .then(
      [self, r, members](bool joined, bool deployed) {
        r->ready.joined = joined;
        r->ready.deployed = deployed;
        ask_hosts(self, r, members);
      },
      [self](caf::error&) {
        self->state.busy = false;
      });
}

void start_refresh(self_ptr self) {
  self->state.busy = true;
  self
    ->request(self->state.member, ask_timeout, status_atom_v,
              self->state.deployment)
    .then(
      [self](std::vector<member_info>& members,
             std::vector<std::string>& departed, uint64_t deployment,
             graph_spec& g, directory& dir) {
        auto& st = self->state;
        if (deployment != st.deployment) {
          st.deployment = deployment;
          st.deployed_nodes.clear();
          st.deployed_nodes.reserve(g.nodes.size());
          for (auto& n : g.nodes) {
            node_status x;
            x.name = std::move(n.name);
            x.kind = n.kind;
            x.fn = std::move(n.fn);
            x.needs = std::move(n.needs);
            st.deployed_nodes.push_back(std::move(x));
          }
          st.deployed_dir = std::move(dir);
        }
        auto r = std::make_shared<refresh>();
        for (auto& m : members) {
          member_status x;
          x.name = m.name;
          x.address = m.address;
          x.alive = true;
          r->model.members.push_back(std::move(x));
        }
        for (auto& name : departed) {
          member_status x;
          x.name = name;
          r->model.members.push_back(std::move(x));
        }
        r->model.nodes = st.deployed_nodes;
        index_nodes(st, r->model.nodes);
        place_nodes(st, st.deployed_dir, r->model.nodes);
        r->answered.assign(r->model.nodes.size(), false);
        ask_ready(self, std::move(r), std::move(members));
      },
      [self](caf::error&) {
        self->state.busy = false;
      });
}

} // namespace

caf::behavior status_collector(self_ptr self, caf::actor member,
                               std::shared_ptr<status_board> board,
                               status_collector_options opts) {
  auto& st = self->state;
  st.member = std::move(member);
  st.board = std::move(board);
  st.opts = std::move(opts);
  self->monitor(st.member);
  self->set_down_handler([self](caf::down_msg& dm) {
    self->state.board->member_down(to_string(dm.reason));
  });
  self->send(self, caf::tick_atom_v);
  return {
    [self](caf::tick_atom) {
      auto& s = self->state;
      if (!s.busy)
        start_refresh(self);
      self->delayed_send(self, s.opts.interval, caf::tick_atom_v);
    },
  };
}

} // namespace shoal
