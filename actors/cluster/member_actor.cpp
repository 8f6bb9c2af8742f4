#include "actors/cluster/member_actor.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "caf/all.hpp"
#include "caf/io/middleman.hpp"

#include "actors/cluster/graph_change.hpp"
#include "actors/cluster/graph_host.hpp"
#include "actors/cluster/member_graph.hpp"
#include "actors/cluster/rebalance.hpp"
#include "actors/dataflow/tail_actor.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/log_sink.hpp"
#include "runtime/functions/fn_factory.hpp"
#include "runtime/graph/graph_validator.hpp"

namespace shoal {

namespace {

using self_ptr = caf::stateful_actor<member_state>*;

int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
           std::chrono::steady_clock::now().time_since_epoch())
    .count();
}

std::vector<member_info> all_members(const member_state& st) {
  std::vector<member_info> xs;
  for (auto& [name, e] : st.members)
    xs.push_back(e.info);
  return xs;
}

void add_member(self_ptr self, member_info x) {
  auto& st = self->state;
  if (x.name == st.opts.name || !x.handle)
    return;
  auto i = st.members.find(x.name);
  if (i != st.members.end() && i->second.info.handle == x.handle)
    return;
  self->monitor(x.handle);
  logf(*st.opts.log, log_level::info, "shoal-node: member %s: %s joined (%s)",
       st.opts.name.c_str(), x.name.c_str(), x.address.c_str());
  auto name = x.name;
  st.members[name] = member_state::entry{std::move(x), steady_ns()};
  // Nodes move to it (by the leader, on its next heartbeat).
  st.rebalance_pending = true;
}

void remove_member(self_ptr self, const std::string& name,
                   const std::string& reason) {
  auto& st = self->state;
  auto i = st.members.find(name);
  if (i == st.members.end() || name == st.opts.name)
    return;
  self->demonitor(i->second.info.handle);
  st.members.erase(i);
  st.departed.push_back(name + ": " + reason);
  logf(*st.opts.log, log_level::info, "shoal-node: member %s: %s left (%s)",
       st.opts.name.c_str(), name.c_str(), reason.c_str());
  tell_others(self, name, left_atom_v, name, reason);
  // Every member counts the nodes that lose their state (they all know the
  // same placement).
  st.nodes_failed_over += static_cast<uint64_t>(
    std::count(st.dir_members.begin(), st.dir_members.end(), name));
  // Its nodes are placed again (by the leader, on its next tick); a replay
  // would miss what they lost.
  st.failover_pending = true;
  fail_replay(self, "member " + name + " left during the replay (" + reason
                      + "): its nodes restart cold, so the outputs would be "
                        "incomplete");
}

/// The leader places the nodes of departed members again, once no other
/// change is under way.
void fail_over(self_ptr self) {
  auto& st = self->state;
  if (!st.failover_pending || st.busy)
    return;
  st.failover_pending = false;
  if (!st.deployed || leader(st).info.name != st.opts.name)
    return;
  auto c = plan_failover(st);
  if (c.spawn.empty())
    return;
  change_graph(self, std::move(c), caf::response_promise{});
}

/// The leader moves nodes to members that joined, once nothing else is
/// under way.
void rebalance_on_join(self_ptr self) {
  auto& st = self->state;
  if (!st.rebalance_pending || st.busy || st.failover_pending)
    return;
  st.rebalance_pending = false;
  if (!st.deployed || st.members.size() < 2
      || leader(st).info.name != st.opts.name)
    return;
  rebalance(self);
}

/// Refuses a change while another is under way or nothing runs.
caf::error check_can_change(const member_state& st) {
  if (st.busy)
    return make_error(errc::invalid_config,
                      "another graph change is under way; try again");
  if (!st.deployed)
    return make_error(errc::not_found, "no graph is deployed: apply one first");
  return caf::none;
}

/// Asks the next seed to let us in, unless we know other members already.
void try_join(self_ptr self) {
  auto& st = self->state;
  if (st.joining || st.members.size() > 1)
    return;
  std::vector<net_address> others;
  for (auto& s : st.opts.seeds)
    if (s.to_string() != st.opts.listen.to_string())
      others.push_back(s);
  if (others.empty())
    return;
  auto seed = others[st.next_seed++ % others.size()];
  st.joining = true;
  auto mm = self->home_system().middleman().actor_handle();
  self
    ->request(mm, std::chrono::seconds(5), caf::connect_atom_v, seed.host,
              seed.port)
    .then(
      [=](const caf::node_id&, caf::strong_actor_ptr& ptr,
          const std::set<std::string>&) {
        auto peer = caf::actor_cast<caf::actor>(ptr);
        if (!peer) {
          self->state.joining = false;
          return;
        }
        auto& s = self->state;
        member_info me{s.opts.name, s.opts.listen.to_string(),
                       caf::actor_cast<caf::actor>(self), s.host};
        self->request(peer, std::chrono::seconds(5), join_atom_v, me)
          .then(
            [=](std::vector<member_info>& xs) {
              self->state.joining = false;
              for (auto& x : xs)
                add_member(self, std::move(x));
            },
            [=](caf::error& err) {
              self->state.joining = false;
              if (err.category() == caf::atom("shoal")) {
                // Refused: our name is taken. Nothing to retry.
                self->send(self->state.monitor, std::move(err));
                // Not `normal`: the linked graph host goes too.
                self->quit(caf::exit_reason::user_shutdown);
              }
            });
      },
      [=](caf::error&) {
        // The seed is not up (yet): the next heartbeat tries another.
        self->state.joining = false;
      });
}

} // namespace

caf::behavior member_actor(self_ptr self, member_options opts,
                           caf::actor monitor) {
  auto& st = self->state;
  st.opts = std::move(opts);
  st.monitor = std::move(monitor);
  st.host = self->spawn<caf::linked>(graph_host);
  st.members[st.opts.name] = member_state::entry{
    member_info{st.opts.name, st.opts.listen.to_string(),
                caf::actor_cast<caf::actor>(self), st.host},
    steady_ns()};
  self->set_down_handler([=](caf::down_msg& dm) {
    for (auto& [name, e] : self->state.members) {
      if (e.info.handle.address() == dm.source) {
        auto who = name;
        remove_member(self, who, "connection lost: " + to_string(dm.reason));
        return;
      }
    }
  });
  self->send(self, caf::tick_atom_v);
  return {
    [=](join_atom, member_info& who) -> caf::result<std::vector<member_info>> {
      auto& s = self->state;
      auto i = s.members.find(who.name);
      if (i != s.members.end() && i->second.info.handle != who.handle)
        return make_error(errc::invalid_config,
                          "member name '" + who.name + "' is taken by "
                            + i->second.info.address + " (asked by "
                            + who.address + ")");
      add_member(self, who);
      auto xs = all_members(s);
      tell_others(self, who.name, members_atom_v, xs);
      return xs;
    },
    [=](members_atom, std::vector<member_info>& xs) {
      for (auto& x : xs)
        add_member(self, std::move(x));
    },
    [=](heartbeat_atom, const std::string& name) {
      auto& s = self->state;
      auto i = s.members.find(name);
      if (i != s.members.end())
        i->second.last_seen = steady_ns();
    },
    [=](left_atom, const std::string& name, const std::string& reason) {
      remove_member(self, name, reason);
    },
    [=](caf::get_atom) {
      return all_members(self->state);
    },
    [=](apply_atom, graph_spec& g) -> caf::result<std::string> {
      auto& s = self->state;
      // Changes go through the leader, one at a time.
      if (auto& l = leader(s); l.info.name != s.opts.name) {
        self->delegate(l.info.handle, apply_atom_v, std::move(g));
        return caf::delegated<std::string>{};
      }
      if (s.busy)
        return make_error(errc::invalid_config,
                          "another graph change is under way; try again");
      if (s.deployed) {
        auto c = plan_apply(s, std::move(g));
        if (!c)
          return std::move(c.error());
        change_graph(self, std::move(*c), self->make_response_promise());
        return caf::delegated<std::string>{};
      }
      // The first graph: validated in full here too (a graph that fails
      // changes nothing), then placed as a whole.
      auto check = [](const node_spec& n) -> caf::error {
        auto fn = make_fn(n);
        return fn ? caf::error{} : std::move(fn.error());
      };
      if (auto err = validate_graph(g, check))
        return err;
      record_fingerprints(s, g, true);
      apply_graph(self, std::move(g), self->make_response_promise());
      return caf::delegated<std::string>{};
    },
    [=](remove_atom, std::vector<std::string>& names,
        bool cascade) -> caf::result<std::string> {
      auto& s = self->state;
      if (auto& l = leader(s); l.info.name != s.opts.name) {
        self->delegate(l.info.handle, remove_atom_v, std::move(names), cascade);
        return caf::delegated<std::string>{};
      }
      if (auto err = check_can_change(s))
        return err;
      auto c = plan_remove(s, names, cascade);
      if (!c)
        return std::move(c.error());
      auto rp = self->make_response_promise();
      change_graph(self, std::move(*c), rp);
      return caf::delegated<std::string>{};
    },
    [=](deploy_atom, graph_spec& g, std::vector<std::string>& names,
        std::vector<caf::actor>& actors, std::vector<std::string>& members) {
      auto& s = self->state;
      s.deployed = !names.empty();
      self->send(s.monitor, deploy_atom_v, g, names, actors, members);
      // Fingerprints of changed nodes are taken again (should this member
      // lead the next change).
      std::unordered_map<std::string, const node_spec*> before;
      for (auto& n : s.graph.nodes)
        before.emplace(n.name, &n);
      for (auto& n : g.nodes)
        if (auto i = before.find(n.name); i == before.end() || *i->second != n)
          s.fingerprints.erase(n.name);
      record_fingerprints(s, g, false);
      s.graph = std::move(g);
      s.dir_names = std::move(names);
      s.dir_actors = std::move(actors);
      s.dir_members = std::move(members);
      sync_replay_sink(self);
    },
    [=](status_atom) {
      auto& s = self->state;
      std::vector<std::string> down;
      for (auto& d : s.departed) {
        auto name = d.substr(0, d.find(": "));
        if (s.members.count(name) == 0
            && std::find(down.begin(), down.end(), name) == down.end())
          down.push_back(std::move(name));
      }
      return caf::make_message(all_members(s), std::move(down), s.graph,
                               s.dir_names, s.dir_members);
    },
    [=](stats_atom) {
      return self->state.nodes_failed_over;
    },
    [=](latency_atom, caf::actor& sink) {
      self->state.sink = std::move(sink);
    },
    [=](latency_atom) -> caf::result<std::vector<uint64_t>> {
      auto& s = self->state;
      if (!s.sink)
        return std::vector<uint64_t>{};
      self->delegate(s.sink, latency_atom_v, caf::get_atom_v);
      return caf::delegated<std::vector<uint64_t>>{};
    },
    [=](tail_atom, const std::vector<std::string>& names,
        caf::actor& client) -> caf::result<caf::ok_atom> {
      auto& s = self->state;
      if (!s.deployed)
        return make_error(errc::not_found,
                          "no graph is deployed: apply one first");
      std::vector<caf::actor> nodes;
      for (auto& name : names) {
        auto i = std::find(s.dir_names.begin(), s.dir_names.end(), name);
        if (i == s.dir_names.end())
          return make_error(errc::not_found, "unknown node '" + name + "'");
        nodes.push_back(s.dir_actors[i - s.dir_names.begin()]);
      }
      self->spawn(tail_actor, std::move(client), std::move(nodes), names);
      return caf::ok_atom_v;
    },
    [=](graph_atom, bool dot) {
      auto& s = self->state;
      if (dot)
        return placed_graph_dot(s);
      std::vector<std::string> lines;
      for (size_t i = 0; i < s.dir_names.size(); ++i)
        lines.push_back(s.dir_names[i] + " " + s.dir_members[i]);
      return lines;
    },
    [=](replay_atom,
        const std::string& path) -> caf::result<std::vector<output_row>> {
      auto& s = self->state;
      if (s.replay)
        return make_error(errc::invalid_config,
                          "another replay is under way at this member");
      if (!s.deployed)
        return make_error(errc::not_found,
                          "no graph is deployed: apply one first");
      auto rp = self->make_response_promise();
      if (auto err = start_replay(self, path, rp))
        // The promise holds the request now: the error goes through it.
        rp.deliver(std::move(err));
      return caf::delegated<std::vector<output_row>>{};
    },
    [=](report_atom, const std::string&, const ingest_counts&,
        const std::vector<uint64_t>&, const std::string& read_error) {
      if (auto& run = self->state.replay) {
        run->source_done = true;
        if (!read_error.empty())
          run->error = read_error;
        finish_replay(self);
      }
    },
    [=](until_atom, int64_t t) {
      // The replay source reached its end of file at T = t.
      if (auto& run = self->state.replay)
        self->send(run->sink, until_atom_v, t);
    },
    [=](caf::ok_atom) {
      // The replay sink confirmed a sync.
    },
    [=](done_atom, uint64_t, const caf::error& err) {
      if (auto& run = self->state.replay) {
        run->sink_done = true;
        if (err && run->error.empty())
          run->error = describe(err);
        finish_replay(self);
      }
    },
    [=](caf::tick_atom) {
      auto& s = self->state;
      // Urgent: a member whose actors are busy with a flood of batches must
      // still be heard (and hear) within the failure timeout.
      for (auto& [name, e] : s.members)
        if (name != s.opts.name)
          self->send<caf::message_priority::high>(
            e.info.handle, heartbeat_atom_v, s.opts.name);
      auto now = steady_ns();
      auto limit = std::chrono::nanoseconds(s.opts.failure_timeout).count();
      std::vector<std::string> silent;
      for (auto& [name, e] : s.members)
        if (name != s.opts.name && now - e.last_seen > limit)
          silent.push_back(name);
      for (auto& name : silent)
        remove_member(self, name,
                      "no heartbeat for "
                        + std::to_string(s.opts.failure_timeout.count())
                        + " ms");
      try_join(self);
      fail_over(self);
      rebalance_on_join(self);
      self->delayed_send<caf::message_priority::high>(self, s.opts.heartbeat,
                                                      caf::tick_atom_v);
    },
  };
}

} // namespace shoal
