#include "actors/cluster/graph_change.hpp"

#include <algorithm>
#include <memory>
#include <set>
#include <unordered_map>

#include "caf/all.hpp"

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
  std::vector<std::vector<caf::actor>> spawned;
  /// The directory before and after.
  std::unordered_map<std::string, size_t> old_index;
  std::vector<std::string> dir_names;
  std::vector<caf::actor> dir_actors;
  std::vector<std::string> dir_members;
  size_t pending = 0;
  caf::error failure;
};

using run_ptr = std::shared_ptr<change_run>;

void finish(member_self self, const run_ptr& run, caf::error err) {
  self->state.busy = false;
  if (run->rp.pending()) {
    if (err)
      run->rp.deliver(std::move(err));
    else
      run->rp.deliver(run->c.what);
  } else if (err) {
    logf(*self->state.opts.log, log_level::error,
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
  auto& st = self->state;
  st.graph = run->c.merged;
  st.dir_names = run->dir_names;
  st.dir_actors = run->dir_actors;
  st.dir_members = run->dir_members;
  st.deployed = !st.dir_names.empty();
  for (auto& name : run->c.spawn)
    st.fingerprints.erase(name);
  for (auto& name : run->c.remove)
    st.fingerprints.erase(name);
  record_fingerprints(st, st.graph, false);
  tell_others(self, "", deploy_atom_v, st.graph, st.dir_names, st.dir_actors,
              st.dir_members);
  self->send(st.monitor, deploy_atom_v, st.graph, st.dir_names, st.dir_actors,
             st.dir_members);
  auto& what = run->c.what;
  std::string spawned;
  for (size_t k = 0; k < run->members.size(); ++k)
    if (!run->names[k].empty())
      spawned += (spawned.empty() ? "" : ", ") + run->members[k].name + " "
                 + std::to_string(run->names[k].size());
  if (!spawned.empty())
    what += " (new actors: " + spawned + ")";
  logf(*st.opts.log, log_level::info, "shoal-node: member %s: %s",
       st.opts.name.c_str(), what.c_str());
  finish(self, run, caf::none);
}

/// Step 4: old actors of replaced nodes and removed nodes leave their inputs
/// and stop (nodes of departed members are gone already; their inputs still
/// drop them).
void retire(member_self self, const run_ptr& run) {
  auto& st = self->state;
  std::unordered_map<std::string, size_t> new_index;
  for (size_t i = 0; i < run->dir_names.size(); ++i)
    new_index.emplace(run->dir_names[i], i);
  std::unordered_map<std::string, std::vector<caf::actor>> stop;
  std::vector<std::string> retired = run->c.remove;
  for (auto& name : run->c.spawn)
    if (run->old_index.count(name) > 0)
      retired.push_back(name);
  std::unordered_map<std::string, const node_spec*> spec_of;
  for (auto& n : st.graph.nodes)
    spec_of.emplace(n.name, &n);
  for (auto& name : retired) {
    auto i = run->old_index.at(name);
    auto& old = st.dir_actors[i];
    if (auto spec = spec_of.find(name); spec != spec_of.end())
      for (auto& need : spec->second->needs) {
        // The input as it runs now, and as it ran before, if replaced.
        if (auto j = new_index.find(need); j != new_index.end())
          self->send(run->dir_actors[j->second], caf::unsubscribe_atom_v, old);
        if (auto j = run->old_index.find(need); j != run->old_index.end())
          self->send(st.dir_actors[j->second], caf::unsubscribe_atom_v, old);
      }
    stop[st.dir_members[i]].push_back(old);
  }
  for (auto& [member, xs] : stop)
    if (auto m = st.members.find(member); m != st.members.end())
      self->send(m->second.info.host, remove_atom_v, xs);
  commit(self, run);
}

/// Step 3: running subscribers of nodes that got new actors switch to them.
void rewire(member_self self, const run_ptr& run) {
  auto& st = self->state;
  std::unordered_map<std::string, caf::actor> fresh;
  for (size_t i = 0; i < run->dir_names.size(); ++i)
    fresh.emplace(run->dir_names[i], run->dir_actors[i]);
  std::set<std::string> spawned(run->c.spawn.begin(), run->c.spawn.end());
  auto pending = std::make_shared<size_t>(1);
  auto done_one = [=] {
    if (--*pending == 0)
      retire(self, run);
  };
  for (auto& n : run->c.merged.nodes) {
    if (spawned.count(n.name) > 0)
      continue;
    std::vector<caf::actor> olds;
    std::vector<caf::actor> news;
    for (auto& need : n.needs) {
      auto i = run->old_index.find(need);
      if (spawned.count(need) == 0 || i == run->old_index.end())
        continue;
      olds.push_back(st.dir_actors[i->second]);
      news.push_back(fresh.at(need));
    }
    if (olds.empty())
      continue;
    ++*pending;
    auto name = n.name;
    self
      ->request(fresh.at(n.name), std::chrono::seconds(30), rewire_atom_v, olds,
                news)
      .then(
        [=](caf::ok_atom) {
          done_one();
        },
        [=](caf::error& err) {
          logf(*self->state.opts.log, log_level::error,
               "shoal-node: member %s: re-wiring %s: %s",
               self->state.opts.name.c_str(), name.c_str(),
               describe(err).c_str());
          done_one();
        });
  }
  done_one();
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
                run->names[k], run->dir_names, run->dir_actors)
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

/// The directory after the change, in the merged graph's order.
void build_directory(member_self self, const run_ptr& run) {
  auto& st = self->state;
  std::unordered_map<std::string, std::pair<caf::actor, std::string>> fresh;
  for (size_t k = 0; k < run->members.size(); ++k)
    for (size_t j = 0; j < run->names[k].size(); ++j)
      fresh.emplace(run->names[k][j],
                    std::make_pair(run->spawned[k][j], run->members[k].name));
  for (auto& n : run->c.merged.nodes) {
    run->dir_names.push_back(n.name);
    if (auto i = fresh.find(n.name); i != fresh.end()) {
      run->dir_actors.push_back(i->second.first);
      run->dir_members.push_back(i->second.second);
    } else {
      auto j = run->old_index.at(n.name);
      run->dir_actors.push_back(st.dir_actors[j]);
      run->dir_members.push_back(st.dir_members[j]);
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
    build_directory(self, run);
    wire(self, run);
  };
  for (size_t k = 0; k < run->members.size(); ++k) {
    if (run->names[k].empty())
      continue;
    ++run->pending;
    self
      ->request(run->members[k].host, std::chrono::minutes(2), deploy_atom_v,
                run->c.merged, run->names[k])
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
  auto& st = self->state;
  std::unordered_map<std::string, size_t> member_index;
  for (size_t k = 0; k < run->members.size(); ++k)
    member_index.emplace(run->members[k].name, k);
  std::unordered_map<std::string, size_t> running;
  for (size_t i = 0; i < st.dir_names.size(); ++i)
    if (auto m = member_index.find(st.dir_members[i]); m != member_index.end())
      running.emplace(st.dir_names[i], m->second);
  auto where = place_new_nodes(run->c.merged, run->c.spawn, std::move(running),
                               run->loads);
  for (size_t j = 0; j < where.size(); ++j)
    run->names[where[j]].push_back(run->c.spawn[j]);
  spawn(self, run);
}

} // namespace

void change_graph(member_self self, graph_change c, caf::response_promise rp) {
  auto& st = self->state;
  auto run = std::make_shared<change_run>();
  run->c = std::move(c);
  run->rp = std::move(rp);
  for (auto& [name, e] : st.members)
    run->members.push_back(e.info);
  for (size_t i = 0; i < st.dir_names.size(); ++i)
    run->old_index.emplace(st.dir_names[i], i);
  run->names.resize(run->members.size());
  run->spawned.resize(run->members.size());
  st.busy = true;
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
