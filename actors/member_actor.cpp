#include "actors/member_actor.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "caf/all.hpp"
#include "caf/io/middleman.hpp"

#include "actors/graph_host.hpp"
#include "actors/replay_source.hpp"
#include "actors/sink_actor.hpp"
#include "actors/tail_actor.hpp"
#include "runtime/csv.hpp"
#include "runtime/errc.hpp"
#include "runtime/fn_factory.hpp"
#include "runtime/graph_validator.hpp"

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

/// Sends `msg` parts to every member but this one (and `except`).
template <class... Ts>
void tell_others(self_ptr self, const std::string& except, Ts&&... xs) {
  for (auto& [name, e] : self->state.members)
    if (name != self->state.opts.name && name != except)
      self->send(e.info.handle, xs...);
}

void add_member(self_ptr self, member_info x) {
  auto& st = self->state;
  if (x.name == st.opts.name || !x.handle)
    return;
  auto i = st.members.find(x.name);
  if (i != st.members.end() && i->second.info.handle == x.handle)
    return;
  self->monitor(x.handle);
  std::fprintf(stderr, "shoal-node: member %s: %s joined (%s)\n",
               st.opts.name.c_str(), x.name.c_str(), x.address.c_str());
  auto name = x.name;
  st.members[name] = member_state::entry{std::move(x), steady_ns()};
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
  std::fprintf(stderr, "shoal-node: member %s: %s left (%s)\n",
               st.opts.name.c_str(), name.c_str(), reason.c_str());
  tell_others(self, name, left_atom_v, name, reason);
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

/// Deploys `g` (validated) over the current members and delivers a summary
/// to `rp`; on any failure, delivers the error and deploys nothing more.
void apply_graph(self_ptr self, graph_spec g, caf::response_promise rp) {
  auto& st = self->state;
  std::vector<member_info> members;
  for (auto& [name, e] : st.members)
    members.push_back(e.info);
  auto where = place_nodes(g, members.size());
  std::vector<std::vector<std::string>> names(members.size());
  for (size_t i = 0; i < g.nodes.size(); ++i)
    names[where[i]].push_back(g.nodes[i].name);
  st.busy = true;
  auto dir_names = std::make_shared<std::vector<std::string>>();
  auto dir_actors = std::make_shared<std::vector<caf::actor>>();
  auto dir_members = std::make_shared<std::vector<std::string>>();
  auto pending = std::make_shared<size_t>(members.size());
  auto failed = std::make_shared<bool>(false);
  auto fail = [=](caf::error err) mutable {
    if (*failed)
      return;
    *failed = true;
    self->state.busy = false;
    rp.deliver(std::move(err));
  };
  auto wire_all = [=]() mutable {
    auto wired = std::make_shared<size_t>(members.size());
    for (auto& m : members)
      self
        ->request(m.host, std::chrono::minutes(2), wire_atom_v, *dir_names,
                  *dir_actors)
        .then(
          [=](caf::ok_atom) mutable {
            if (--*wired > 0 || *failed)
              return;
            auto& s = self->state;
            s.graph = g;
            s.dir_names = *dir_names;
            s.dir_actors = *dir_actors;
            s.dir_members = *dir_members;
            s.deployed = true;
            s.busy = false;
            // Every member learns the deployment: any can serve graph and
            // replay.
            tell_others(self, "", deploy_atom_v, g, *dir_names, *dir_actors,
                        *dir_members);
            self->send(s.monitor, deploy_atom_v, g, *dir_names, *dir_actors,
                       *dir_members);
            std::string summary
              = "applied " + std::to_string(g.nodes.size()) + " nodes on "
                + std::to_string(members.size()) + " members:";
            for (size_t k = 0; k < members.size(); ++k)
              summary += " " + members[k].name + " "
                         + std::to_string(names[k].size());
            rp.deliver(summary);
          },
          [=](caf::error& err) mutable {
            fail(std::move(err));
          });
  };
  for (size_t k = 0; k < members.size(); ++k) {
    self
      ->request(members[k].host, std::chrono::minutes(2), deploy_atom_v, g,
                names[k])
      .then(
        [=](std::vector<caf::actor>& xs) mutable {
          for (size_t j = 0; j < xs.size(); ++j) {
            dir_names->push_back(names[k][j]);
            dir_actors->push_back(std::move(xs[j]));
            dir_members->push_back(members[k].name);
          }
          if (--*pending == 0 && !*failed)
            wire_all();
        },
        [=](caf::error& err) mutable {
          fail(std::move(err));
        });
  }
}

/// Delivers the replay's rows once both its source and its sink are done.
void finish_replay(self_ptr self) {
  auto& st = self->state;
  auto run = st.replay;
  if (!run || !run->source_done || !run->sink_done)
    return;
  st.replay = nullptr;
  // Every node reached end of stream: the graph has ended, everywhere.
  st.deployed = false;
  st.busy = false;
  tell_others(self, "", deploy_atom_v, graph_spec{}, std::vector<std::string>{},
              std::vector<caf::actor>{}, std::vector<std::string>{});
  self->send(st.monitor, deploy_atom_v, graph_spec{},
             std::vector<std::string>{}, std::vector<caf::actor>{},
             std::vector<std::string>{});
  if (!run->error.empty())
    run->rp.deliver(make_error(errc::io_error, run->error));
  else
    run->rp.deliver(std::move(run->out->rows));
}

/// Streams `path` into the deployed graph: a sink on every emitting node, a
/// replay source on every sensor, then start.
caf::error start_replay(self_ptr self, const std::string& path,
                        caf::response_promise rp) {
  auto& st = self->state;
  auto reader = sample_reader::open(path);
  if (!reader)
    return std::move(reader.error());
  std::unordered_map<std::string, caf::actor> dir;
  for (size_t i = 0; i < st.dir_names.size(); ++i)
    dir.emplace(st.dir_names[i], st.dir_actors[i]);
  std::vector<std::string> sensor_names;
  std::vector<caf::actor> sensors;
  std::vector<caf::actor> emitting;
  std::vector<std::string> emitting_names;
  for (auto& n : st.graph.nodes) {
    if (n.kind == node_kind::sensor) {
      sensor_names.push_back(n.name);
      sensors.push_back(dir[n.name]);
    }
    if (n.emit) {
      emitting.push_back(dir[n.name]);
      emitting_names.push_back(n.name);
    }
  }
  auto run = std::make_shared<member_state::replay_run>();
  run->rp = std::move(rp);
  run->out = std::make_shared<memory_sink>();
  st.replay = run;
  st.busy = true;
  auto me = caf::actor_cast<caf::actor>(self);
  auto sink = self->spawn<caf::linked>(sink_actor, run->out, me, alert_rule{});
  auto source_dir = std::make_shared<sensor_directory>(std::move(sensor_names));
  auto key = node_key("source:cluster-replay");
  auto source = self->spawn<caf::linked>(
    replay_source, std::string{"replay"},
    std::make_shared<sample_reader>(std::move(*reader)), source_dir, sensors,
    key, replay_options{}, me);
  auto fail = [=](caf::error& err) {
    auto& s = self->state;
    if (s.replay == run) {
      s.replay = nullptr;
      s.busy = false;
      run->rp.deliver(std::move(err));
    }
    self->send_exit(source, caf::exit_reason::user_shutdown);
    self->send_exit(sink, caf::exit_reason::user_shutdown);
  };
  self
    ->request(sink, std::chrono::minutes(2), wire_atom_v, emitting,
              emitting_names)
    .then(
      [=](caf::ok_atom) {
        auto attached = std::make_shared<size_t>(sensors.size());
        if (sensors.empty())
          self->send(source, start_atom_v);
        for (uint32_t i = 0; i < sensors.size(); ++i)
          self
            ->request(sensors[i], std::chrono::minutes(2), attach_atom_v,
                      source, key, i)
            .then(
              [=](caf::ok_atom) {
                if (--*attached == 0)
                  self->send(source, start_atom_v);
              },
              fail);
      },
      fail);
  return caf::none;
}

} // namespace

std::vector<size_t> place_nodes(const graph_spec& g, size_t members) {
  std::vector<size_t> where(g.nodes.size(), 0);
  if (members <= 1)
    return where;
  std::unordered_map<std::string, size_t> cell_of;
  std::vector<size_t> cell(g.nodes.size(), 0);
  std::vector<size_t> cell_size;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    auto& n = g.nodes[i];
    size_t c;
    if (n.needs.empty()) {
      c = cell_size.size();
      cell_size.push_back(0);
    } else {
      c = cell_of.at(n.needs.front());
    }
    cell[i] = c;
    cell_of.emplace(n.name, c);
    ++cell_size[c];
  }
  // Largest cells first, each to the least loaded member (ties: lowest
  // index), so that the result is the same on every run.
  std::vector<size_t> order(cell_size.size());
  for (size_t c = 0; c < order.size(); ++c)
    order[c] = c;
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    return cell_size[x] > cell_size[y];
  });
  std::vector<size_t> load(members, 0);
  std::vector<size_t> member_of(cell_size.size(), 0);
  for (auto c : order) {
    auto m = static_cast<size_t>(std::min_element(load.begin(), load.end())
                                 - load.begin());
    member_of[c] = m;
    load[m] += cell_size[c];
  }
  for (size_t i = 0; i < g.nodes.size(); ++i)
    where[i] = member_of[cell[i]];
  return where;
}

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
      if (s.busy)
        return make_error(errc::invalid_config,
                          "another apply or replay is under way");
      if (s.deployed)
        return make_error(errc::invalid_graph,
                          "a graph is deployed already: changing a running "
                          "graph is not supported yet");
      // Validated in full here too: a graph that fails changes nothing.
      auto check = [](const node_spec& n) -> caf::error {
        auto fn = make_fn(n);
        return fn ? caf::error{} : std::move(fn.error());
      };
      if (auto err = validate_graph(g, check))
        return err;
      auto rp = self->make_response_promise();
      apply_graph(self, std::move(g), rp);
      return caf::delegated<std::string>{};
    },
    [=](deploy_atom, graph_spec& g, std::vector<std::string>& names,
        std::vector<caf::actor>& actors, std::vector<std::string>& members) {
      auto& s = self->state;
      s.deployed = !names.empty();
      self->send(s.monitor, deploy_atom_v, g, names, actors, members);
      s.graph = std::move(g);
      s.dir_names = std::move(names);
      s.dir_actors = std::move(actors);
      s.dir_members = std::move(members);
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
    [=](graph_atom) {
      auto& s = self->state;
      std::vector<std::string> lines;
      for (size_t i = 0; i < s.dir_names.size(); ++i)
        lines.push_back(s.dir_names[i] + " " + s.dir_members[i]);
      return lines;
    },
    [=](replay_atom,
        const std::string& path) -> caf::result<std::vector<output_row>> {
      auto& s = self->state;
      if (s.busy)
        return make_error(errc::invalid_config,
                          "another apply or replay is under way");
      if (!s.deployed)
        return make_error(errc::not_found,
                          "no graph is deployed: apply one first");
      auto rp = self->make_response_promise();
      if (auto err = start_replay(self, path, rp))
        return err;
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
      tell_others(self, "", heartbeat_atom_v, s.opts.name);
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
      self->delayed_send(self, s.opts.heartbeat, caf::tick_atom_v);
    },
  };
}

} // namespace shoal
