#include "actors/cluster/graph_change.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "caf/all.hpp"

#include "actors/cluster/checkpointer.hpp"
#include "actors/cluster/member_actor.hpp"
#include "actors/cluster/request_window.hpp"
#include "actors/messages.hpp"
#include "runtime/cluster/placement.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/log_sink.hpp"

namespace shoal {

namespace {

/// The carrying out of one change, shared by its asynchronous steps.
struct change_run {
  graph_change c;
  caf::response_promise rp;
  /// The live members, in name order, and their estimated load.
  std::vector<member_info> members;
  member_loads loads;
  /// Per member: the nodes it spawns, and their actors once spawned.
  std::vector<std::vector<std::string>> names;
  /// A failover: the checkpointed state of each node to spawn, by name
  /// (a node without one starts cold).
  std::unordered_map<std::string, std::string> states;
  std::vector<std::vector<caf::actor>> spawned;
  /// The directory after the change (the one before is the coordinator's).
  directory dir;
  size_t pending = 0;
  caf::error failure;
  /// When the change began, and when each step ended (steady clock), for
  /// the `ms` fields of its log line.
  std::chrono::steady_clock::time_point began
    = std::chrono::steady_clock::now();
  log_fields steps;

  /// Notes that step `what` ended now (`what_ms`: since the change began).
  void step_done(const char* what) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - began)
                .count();
    steps.emplace_back(std::string{what} + "_ms", static_cast<int64_t>(ms));
  }
};

using run_ptr = std::shared_ptr<change_run>;

void finish(member_self self, const run_ptr& run, caf::error err) {
  end_change(self);
  if (run->rp.pending()) {
    if (err)
      run->rp.deliver(std::move(err));
    else
      run->rp.deliver(run->c.what);
  } else if (err) {
    auto fields = run->c.fields;
    fields.emplace_back("error", describe(err));
    logf(*self->state.opts.log, log_level::error, fields,
         "shoal-node: member %s: %s failed: %s", self->state.opts.name.c_str(),
         run->c.what.c_str(), describe(err).c_str());
  }
}

/// Stops every node spawned for a change that failed.
void roll_back(member_self self, const run_ptr& run) {
  for (size_t k = 0; k < run->members.size(); ++k)
    if (!run->spawned[k].empty())
      self->send(run->members[k].host, remove_atom_v, run->spawned[k]);
  auto err = std::move(run->failure);
  finish(self, run, std::move(err));
}

/// Step 5: the new deployment becomes the cluster's.
void commit(member_self self, const run_ptr& run) {
  commit_deployment(self, run->c.merged, run->dir, false);
  if (auto k = run->c.restore_k)
    // After the deployment, on the same channels: a replay under way goes
    // on from the checkpoint (actors/cluster/replay_resume.hpp).
    for (auto& m : all_members(self->state.membership))
      self->send(m.handle, ckpt_atom_v, restore_atom_v, k);
  auto& what = run->c.what;
  std::string spawned;
  for (size_t k = 0; k < run->members.size(); ++k)
    if (!run->names[k].empty())
      spawned += (spawned.empty() ? "" : ", ") + run->members[k].name + " "
                 + std::to_string(run->names[k].size());
  if (!spawned.empty())
    what += " (new actors: " + spawned + ")";
  run->step_done("total");
  auto fields = run->c.fields;
  fields.insert(fields.end(), run->steps.begin(), run->steps.end());
  logf(*self->state.opts.log, log_level::info, fields,
       "shoal-node: member %s: %s", self->state.opts.name.c_str(),
       what.c_str());
  finish(self, run, caf::none);
}

/// Step 4: old actors of replaced nodes and removed nodes leave their inputs
/// and stop (nodes of departed members are gone already; their inputs still
/// drop them).
void retire(member_self self, const run_ptr& run) {
  auto& st = self->state;
  auto& before = st.coordinator.dir;
  std::unordered_map<std::string, std::vector<caf::actor>> stop;
  std::vector<std::string> retired = run->c.remove;
  for (auto& name : run->c.spawn)
    if (before.find(name))
      retired.push_back(name);
  std::unordered_map<std::string, const node_spec*> spec_of;
  for (auto& n : st.coordinator.graph.nodes)
    spec_of.emplace(n.name, &n);
  std::unordered_set<std::string> leaving(retired.begin(), retired.end());
  for (auto& name : retired) {
    auto& entry = *before.find(name);
    auto& old = entry.actor;
    if (auto spec = spec_of.find(name); spec != spec_of.end())
      for (auto& need : spec->second->needs) {
        // Only an input that keeps its actor has the old one among its
        // subscribers and keeps sending to it: an input that got a new
        // actor in this change never had it (new actors subscribe only new
        // ones, and rewiring moves only running nodes), and one that
        // leaves too stops with it. So a failover that restores every
        // node sends no unsubscribe at all (it sent two per edge, 420,000
        // at 100,000 nodes).
        if (leaving.count(need) > 0)
          continue;
        if (auto j = before.find(need))
          self->send(j->actor, caf::unsubscribe_atom_v, old);
      }
    stop[entry.member].push_back(old);
  }
  auto& members = st.membership.members;
  for (auto& [member, xs] : stop)
    if (auto m = members.find(member); m != members.end())
      self->send(m->second.info.host, remove_atom_v, xs);
  commit(self, run);
}

/// Step 3: running subscribers of nodes that got new actors switch to them.
void rewire(member_self self, const run_ptr& run) {
  run->step_done("wire");
  auto& before = self->state.coordinator.dir;
  auto& fresh = run->dir;
  std::set<std::string> spawned(run->c.spawn.begin(), run->c.spawn.end());
  struct rewiring {
    std::string name;
    caf::actor actor;
    std::vector<caf::actor> olds;
    std::vector<caf::actor> news;
  };
  auto work = std::make_shared<std::vector<rewiring>>();
  for (auto& n : run->c.merged.nodes) {
    if (spawned.count(n.name) > 0)
      continue;
    rewiring w;
    for (auto& need : n.needs) {
      auto i = before.find(need);
      if (spawned.count(need) == 0 || !i)
        continue;
      w.olds.push_back(i->actor);
      w.news.push_back(fresh.actor_of(need));
    }
    if (w.olds.empty())
      continue;
    w.name = n.name;
    w.actor = fresh.actor_of(n.name);
    work->push_back(std::move(w));
  }
  // A window of requests, not one per node at once (request_window.hpp).
  request_window::run(
    work->size(), default_request_window,
    [=](size_t i, request_window::done_fn done) {
      auto& w = (*work)[i];
      self
        ->request(w.actor, std::chrono::seconds(30), rewire_atom_v,
                  std::move(w.olds), std::move(w.news))
        .then(
          [done](caf::ok_atom) {
            done(true);
          },
          [=, name = w.name](caf::error& err) {
            // Logged; the others are re-wired all the same.
            logf(*self->state.opts.log, log_level::error,
                 "shoal-node: member %s: re-wiring %s: %s",
                 self->state.opts.name.c_str(), name.c_str(),
                 describe(err).c_str());
            done(true);
          });
    },
    [=](bool) {
      run->step_done("rewire");
      retire(self, run);
    });
}

/// Step 2b: the new nodes subscribe to their inputs.
void wire(member_self self, const run_ptr& run) {
  run->pending = 1;
  auto done_one = [=] {
    if (--run->pending > 0)
      return;
    if (run->failure)
      roll_back(self, run);
    else
      rewire(self, run);
  };
  for (size_t k = 0; k < run->members.size(); ++k) {
    if (run->names[k].empty())
      continue;
    ++run->pending;
    self
      ->request(run->members[k].host, std::chrono::minutes(2), wire_atom_v,
                run->names[k], run->dir.names(), run->dir.actors())
      .then(
        [=](caf::ok_atom) {
          done_one();
        },
        [=](caf::error& err) {
          if (!run->failure)
            run->failure = std::move(err);
          done_one();
        });
  }
  done_one();
}

/// A restore, before the restored nodes get inputs (and can send
/// anything): every member's replay sink subscribes to the new actors of
/// the emitting nodes, so that it misses none of their outputs.
void sync_sinks(member_self self, const run_ptr& run) {
  std::vector<std::string> names;
  std::vector<caf::actor> actors;
  for (auto& n : run->c.merged.nodes)
    if (n.emit) {
      names.push_back(n.name);
      actors.push_back(run->dir.actor_of(n.name));
    }
  auto pending = std::make_shared<size_t>(run->members.size() + 1);
  auto done_one = [=] {
    if (--*pending == 0) {
      run->step_done("sync_sinks");
      wire(self, run);
    }
  };
  for (auto& m : run->members)
    self
      ->request(m.handle, std::chrono::seconds(30), ckpt_atom_v, sync_atom_v,
                names, actors)
      .then(
        [=](caf::ok_atom) {
          done_one();
        },
        [=](caf::error&) {
          // That member's replay, if any, fails by itself.
          done_one();
        });
  done_one();
}

/// The directory after the change, in the merged graph's order.
void build_directory(member_self self, const run_ptr& run) {
  auto& before = self->state.coordinator.dir;
  std::unordered_map<std::string, std::pair<caf::actor, std::string>> fresh;
  for (size_t k = 0; k < run->members.size(); ++k)
    for (size_t j = 0; j < run->names[k].size(); ++j)
      fresh.emplace(run->names[k][j],
                    std::make_pair(run->spawned[k][j], run->members[k].name));
  for (auto& n : run->c.merged.nodes) {
    if (auto i = fresh.find(n.name); i != fresh.end()) {
      run->dir.put(n.name, i->second.first, i->second.second);
    } else {
      auto& old = *before.find(n.name);
      run->dir.put(n.name, old.actor, old.member);
    }
  }
}

/// Step 2a: every member with nodes to spawn spawns them.
void spawn(member_self self, const run_ptr& run) {
  run->pending = 1;
  auto done_one = [=] {
    if (--run->pending > 0)
      return;
    if (run->failure) {
      roll_back(self, run);
      return;
    }
    run->step_done("spawn");
    build_directory(self, run);
    if (run->c.restore_k != 0)
      sync_sinks(self, run);
    else
      wire(self, run);
  };
  for (size_t k = 0; k < run->members.size(); ++k) {
    if (run->names[k].empty())
      continue;
    ++run->pending;
    std::vector<std::string> states;
    for (auto& name : run->names[k]) {
      auto i = run->states.find(name);
      states.push_back(i != run->states.end() ? std::move(i->second)
                                              : std::string{});
    }
    self
      ->request(run->members[k].host, std::chrono::minutes(2), deploy_atom_v,
                run->c.merged, run->names[k], std::move(states))
      .then(
        [=](std::vector<caf::actor>& xs) {
          run->spawned[k] = std::move(xs);
          done_one();
        },
        [=](caf::error& err) {
          if (!run->failure)
            run->failure
              = make_error(errc::invalid_graph, "member " + run->members[k].name
                                                  + ": " + describe(err));
          done_one();
        });
  }
  done_one();
}

/// Step 1: where each node to spawn goes (runtime/cluster/placement.hpp).
void place(member_self self, const run_ptr& run) {
  run->step_done("load");
  std::unordered_map<std::string, size_t> member_index;
  for (size_t k = 0; k < run->members.size(); ++k)
    member_index.emplace(run->members[k].name, k);
  std::unordered_map<std::string, size_t> running;
  for (auto& e : self->state.coordinator.dir)
    if (auto m = member_index.find(e.member); m != member_index.end())
      running.emplace(e.name, m->second);
  for (auto& [name, member] : run->c.placed_before)
    if (auto m = member_index.find(member); m != member_index.end())
      running.emplace(name, m->second);
  auto where = place_new_nodes(run->c.merged, run->c.spawn, std::move(running),
                               run->loads);
  for (size_t j = 0; j < where.size(); ++j)
    run->names[where[j]].push_back(run->c.spawn[j]);
  if (!run->c.failover) {
    spawn(self, run);
    return;
  }
  // Warm failover: the states of the latest checkpoint, from the members
  // that keep the departed members' copies.
  auto fetches = states_to_fetch(self->state, run->c.spawn);
  auto pending = std::make_shared<size_t>(fetches.size() + 1);
  auto done_one = [=] {
    if (--*pending > 0)
      return;
    run->step_done("fetch");
    auto warm = run->states.size();
    auto k = run->c.restore_k != 0 ? run->c.restore_k
                                   : self->state.checkpoint.meta.k;
    auto& fs = run->c.fields;
    if (std::none_of(fs.begin(), fs.end(), [](auto& f) {
          return f.key == "checkpoint";
        }))
      fs.emplace_back("checkpoint", k);
    run->c.fields.emplace_back("warm", warm);
    run->c.fields.emplace_back("cold", run->c.spawn.size() - warm);
    run->c.what += ": " + std::to_string(warm) + " from checkpoint "
                   + std::to_string(self->state.checkpoint.meta.k) + ", "
                   + std::to_string(run->c.spawn.size() - warm) + " cold";
    if (run->c.restore_k != 0)
      run->c.what = "restored " + std::to_string(warm) + " of "
                    + std::to_string(run->c.spawn.size())
                    + " nodes from checkpoint "
                    + std::to_string(run->c.restore_k) + " (the others cold)";
    spawn(self, run);
  };
  for (auto& f : fetches)
    self
      ->request(f.host, std::chrono::seconds(20), ckpt_atom_v, fetch_atom_v,
                f.owner, f.k, f.names)
      .then(
        [=](std::vector<std::string>& names, std::vector<std::string>& xs) {
          for (size_t i = 0; i < names.size() && i < xs.size(); ++i)
            run->states[names[i]] = std::move(xs[i]);
          done_one();
        },
        [=, owner = f.owner](caf::error& err) {
          logf(*self->state.opts.log, log_level::warning,
               "shoal-node: member %s: the checkpointed states of %s's nodes "
               "could not be read (they start cold): %s",
               self->state.opts.name.c_str(), owner.c_str(),
               describe(err).c_str());
          done_one();
        });
  done_one();
}

} // namespace

void change_graph(member_self self, graph_change c, caf::response_promise rp) {
  auto run = std::make_shared<change_run>();
  run->c = std::move(c);
  run->rp = std::move(rp);
  run->members = all_members(self->state.membership);
  run->names.resize(run->members.size());
  run->spawned.resize(run->members.size());
  begin_change(self);
  if (run->c.spawn.empty()) {
    // Nothing to place: removals only (or nothing at all).
    build_directory(self, run);
    retire(self, run);
    return;
  }
  // Measure the members' load first.
  auto nodes = std::make_shared<std::vector<uint64_t>>(run->members.size(), 0);
  auto fps = std::make_shared<std::vector<double>>(run->members.size(), 0.0);
  auto pending = std::make_shared<size_t>(run->members.size());
  auto done_one = [=] {
    if (--*pending > 0)
      return;
    run->loads = estimate_loads(*nodes, *fps);
    place(self, run);
  };
  for (size_t k = 0; k < run->members.size(); ++k)
    self->request(run->members[k].host, std::chrono::seconds(2), load_atom_v)
      .then(
        [=](uint64_t n, double f) {
          (*nodes)[k] = n;
          (*fps)[k] = f;
          done_one();
        },
        [=](caf::error&) {
          done_one();
        });
}

} // namespace shoal
