#include "actors/graph_change.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "caf/all.hpp"

#include "actors/messages.hpp"
#include "runtime/errc.hpp"
#include "runtime/fn_factory.hpp"
#include "runtime/graph_validator.hpp"

namespace shoal {

namespace {

/// The carrying out of one change, shared by its asynchronous steps.
struct change_run {
  graph_change c;
  caf::response_promise rp;
  /// The live members, in name order, and their estimated load.
  std::vector<member_info> members;
  std::vector<double> cost;
  double per_node = 1;
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

/// Names of the nodes whose member is not in the membership.
std::vector<std::string> homeless(const member_state& st) {
  std::vector<std::string> xs;
  for (size_t i = 0; i < st.dir_names.size(); ++i)
    if (st.members.count(st.dir_members[i]) == 0)
      xs.push_back(st.dir_names[i]);
  return xs;
}

/// Puts the names of `spawn` in the topological order of `g`.
std::vector<std::string> in_graph_order(const graph_spec& g,
                                        const std::set<std::string>& spawn) {
  std::vector<std::string> xs;
  for (auto& n : g.nodes)
    if (spawn.count(n.name) > 0)
      xs.push_back(n.name);
  return xs;
}

void finish(member_self self, const run_ptr& run, caf::error err) {
  self->state.busy = false;
  if (run->rp.pending()) {
    if (err)
      run->rp.deliver(std::move(err));
    else
      run->rp.deliver(run->c.what);
  } else if (err) {
    std::fprintf(stderr, "shoal-node: member %s: %s failed: %s\n",
                 self->state.opts.name.c_str(), run->c.what.c_str(),
                 describe(err).c_str());
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
  std::fprintf(stderr, "shoal-node: member %s: %s\n", st.opts.name.c_str(),
               what.c_str());
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
      ->request(fresh.at(n.name), std::chrono::seconds(30), rewire_atom_v,
                olds, news)
      .then([=](caf::ok_atom) { done_one(); },
            [=](caf::error& err) {
              std::fprintf(stderr,
                           "shoal-node: member %s: re-wiring %s: %s\n",
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
      .then([=](caf::ok_atom) { done_one(); },
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
            run->failure = make_error(errc::invalid_graph,
                                      "member " + run->members[k].name + ": "
                                        + describe(err));
          done_one();
        });
  }
  done_one();
}

/// Step 1: where each node to spawn goes.
void place(member_self self, const run_ptr& run) {
  auto& st = self->state;
  std::unordered_map<std::string, size_t> member_index;
  for (size_t k = 0; k < run->members.size(); ++k)
    member_index.emplace(run->members[k].name, k);
  std::unordered_map<std::string, size_t> where;
  for (size_t i = 0; i < st.dir_names.size(); ++i)
    if (auto m = member_index.find(st.dir_members[i]); m != member_index.end())
      where.emplace(st.dir_names[i], m->second);
  std::unordered_map<std::string, const node_spec*> spec_of;
  for (auto& n : run->c.merged.nodes)
    spec_of.emplace(n.name, &n);
  for (auto& name : run->c.spawn) {
    auto& n = *spec_of.at(name);
    size_t m;
    if (auto i = where.find(name); i != where.end()) {
      m = i->second;
    } else if (!n.needs.empty() && where.count(n.needs.front()) > 0) {
      m = where.at(n.needs.front());
    } else {
      m = static_cast<size_t>(
        std::min_element(run->cost.begin(), run->cost.end())
        - run->cost.begin());
    }
    where[name] = m;
    run->cost[m] += run->per_node;
    run->names[m].push_back(name);
  }
  spawn(self, run);
}

/// A re-balance under way: the nodes to move, their new actors, and the
/// next one to move.
struct rebalance_run {
  /// Moves in reverse topological order: node, old actor, new actor, the
  /// member it leaves and the member it goes to.
  struct move {
    std::string name;
    caf::actor from;
    caf::actor to;
    std::string from_member;
    std::string to_member;
    bool done = false;
  };
  std::vector<move> moves;
  size_t next = 0;
};

void finish_rebalance(member_self self, std::shared_ptr<rebalance_run> run) {
  auto& st = self->state;
  std::unordered_map<std::string, const rebalance_run::move*> moved;
  for (auto& m : run->moves)
    if (m.done)
      moved.emplace(m.name, &m);
  std::map<std::string, std::vector<caf::actor>> stopped;
  std::map<std::string, size_t> arrived;
  for (size_t i = 0; i < st.dir_names.size(); ++i) {
    auto m = moved.find(st.dir_names[i]);
    if (m == moved.end())
      continue;
    stopped[m->second->from_member].push_back(m->second->from);
    ++arrived[m->second->to_member];
    st.dir_actors[i] = m->second->to;
    st.dir_members[i] = m->second->to_member;
  }
  // The old actors have stopped; their hosts forget them (a handle to a
  // stopped actor may arrive invalid: the host skips those, and forgets
  // stopped nodes by their end-of-run report anyway).
  for (auto& [member, xs] : stopped)
    if (auto i = st.members.find(member); i != st.members.end())
      self->send(i->second.info.host, remove_atom_v, xs);
  tell_others(self, "", deploy_atom_v, st.graph, st.dir_names, st.dir_actors,
              st.dir_members);
  self->send(st.monitor, deploy_atom_v, st.graph, st.dir_names, st.dir_actors,
             st.dir_members);
  std::string what = "re-balanced: moved " + std::to_string(moved.size())
                     + " nodes with their state:";
  for (auto& [member, n] : arrived)
    what += " " + std::to_string(n) + " to " + member;
  std::fprintf(stderr, "shoal-node: member %s: %s\n", st.opts.name.c_str(),
               what.c_str());
  st.busy = false;
}

/// Moves the next node, one at a time: a node's inputs and subscribers are
/// never in the middle of another move.
void move_next(member_self self, std::shared_ptr<rebalance_run> run) {
  if (run->next == run->moves.size()) {
    finish_rebalance(self, run);
    return;
  }
  auto& m = run->moves[run->next++];
  if (!m.to) {
    // Its new member could not take it: it stays.
    move_next(self, run);
    return;
  }
  self->request(m.from, std::chrono::seconds(30), move_atom_v, m.to)
    .then(
      [=](caf::ok_atom) {
        run->moves[run->next - 1].done = true;
        move_next(self, run);
      },
      [=](caf::error& err) {
        auto& x = run->moves[run->next - 1];
        std::fprintf(stderr, "shoal-node: member %s: moving %s: %s\n",
                     self->state.opts.name.c_str(), x.name.c_str(),
                     describe(err).c_str());
        // The old actor stays; the waiting new one goes.
        self->send_exit(x.to, caf::exit_reason::user_shutdown);
        move_next(self, run);
      });
}

} // namespace

const member_state::entry& leader(const member_state& st) {
  // std::map: the first entry has the smallest name.
  return st.members.begin()->second;
}

uint64_t file_fingerprint(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return 0;
  std::string bytes{std::istreambuf_iterator<char>{in},
                    std::istreambuf_iterator<char>{}};
  return node_key(bytes);
}

void record_fingerprints(member_state& st, const graph_spec& g, bool all) {
  if (all)
    st.fingerprints.clear();
  for (auto& n : g.nodes)
    if (!n.path.empty() && st.fingerprints.count(n.name) == 0)
      st.fingerprints.emplace(n.name, file_fingerprint(n.path));
}

caf::expected<graph_change> plan_apply(const member_state& st, graph_spec g) {
  graph_change c;
  c.merged = st.graph;
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < c.merged.nodes.size(); ++i)
    index.emplace(c.merged.nodes[i].name, i);
  std::set<std::string> spawn;
  std::unordered_set<std::string> fresh;
  size_t added = 0;
  size_t replaced = 0;
  for (auto& n : g.nodes) {
    auto i = index.find(n.name);
    if (i == index.end()) {
      if (!fresh.insert(n.name).second)
        continue; // a duplicate: validate_graph names it below
      ++added;
      spawn.insert(n.name);
      index.emplace(n.name, c.merged.nodes.size());
      c.merged.nodes.push_back(n);
      continue;
    }
    auto& running = c.merged.nodes[i->second];
    bool changed = running != n;
    if (!changed && !n.path.empty()) {
      auto f = st.fingerprints.find(n.name);
      changed = f != st.fingerprints.end()
                && f->second != file_fingerprint(n.path);
    }
    if (!changed)
      continue;
    ++replaced;
    spawn.insert(n.name);
    running = n;
  }
  // Everything is checked again; the functions of what changes are built.
  auto check = [&](const node_spec& n) -> caf::error {
    if (spawn.count(n.name) == 0)
      return caf::none;
    auto fn = make_fn(n);
    return fn ? caf::error{} : std::move(fn.error());
  };
  if (auto err = validate_graph(c.merged, check))
    return err;
  for (auto& name : homeless(st))
    spawn.insert(name);
  c.spawn = in_graph_order(c.merged, spawn);
  c.what = "added " + std::to_string(added) + ", replaced "
           + std::to_string(replaced) + ", unchanged "
           + std::to_string(g.nodes.size() - added - replaced);
  return c;
}

caf::expected<graph_change> plan_remove(const member_state& st,
                                        const std::vector<std::string>& names,
                                        bool cascade) {
  std::set<std::string> gone;
  for (auto& name : names) {
    if (!st.graph.find(name))
      return make_error(errc::not_found, "unknown node '" + name + "'");
    gone.insert(name);
  }
  // In topological order a dependent comes after its inputs: one pass
  // finds the whole cascade.
  for (auto& n : st.graph.nodes) {
    if (gone.count(n.name) > 0)
      continue;
    for (auto& need : n.needs) {
      if (gone.count(need) == 0)
        continue;
      if (!cascade)
        return make_error(errc::invalid_graph,
                          "cannot remove '" + need + "': '" + n.name
                            + "' needs it (remove it too, or use --cascade)");
      gone.insert(n.name);
      break;
    }
  }
  graph_change c;
  for (auto& n : st.graph.nodes) {
    if (gone.count(n.name) > 0)
      c.remove.push_back(n.name);
    else
      c.merged.nodes.push_back(n);
  }
  std::set<std::string> spawn;
  for (auto& name : homeless(st))
    if (gone.count(name) == 0)
      spawn.insert(name);
  c.spawn = in_graph_order(c.merged, spawn);
  c.what = "removed " + std::to_string(c.remove.size()) + ":";
  for (auto& name : c.remove)
    c.what += " " + name;
  return c;
}

graph_change plan_failover(const member_state& st) {
  graph_change c;
  c.merged = st.graph;
  auto xs = homeless(st);
  c.spawn = in_graph_order(c.merged, {xs.begin(), xs.end()});
  c.failover = true;
  c.what = "placed " + std::to_string(c.spawn.size())
           + " nodes of departed members again, cold";
  return c;
}

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
  run->cost.assign(run->members.size(), 0.0);
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
    double total_fps = 0;
    uint64_t total_nodes = 0;
    for (size_t k = 0; k < run->members.size(); ++k) {
      total_fps += (*fps)[k];
      total_nodes += (*nodes)[k];
    }
    bool measured = total_fps > 0 && total_nodes > 0;
    run->per_node
      = measured ? total_fps / static_cast<double>(total_nodes) : 1.0;
    for (size_t k = 0; k < run->members.size(); ++k)
      run->cost[k]
        = measured ? (*fps)[k] : static_cast<double>((*nodes)[k]);
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
        [=](caf::error&) { done_one(); });
}

} // namespace shoal

namespace shoal {

void rebalance(member_self self) {
  auto& st = self->state;
  st.busy = true;
  std::vector<member_info> members;
  for (auto& [name, e] : st.members)
    members.push_back(e.info);
  // Measured load: every node's firings so far (sensors: samples), plus one
  // so that idle nodes count too.
  auto cost = std::make_shared<std::unordered_map<std::string, double>>();
  auto pending = std::make_shared<size_t>(members.size());
  auto plan = [=] {
    auto& s = self->state;
    std::unordered_map<std::string, size_t> index;
    for (size_t i = 0; i < s.dir_names.size(); ++i)
      index.emplace(s.dir_names[i], i);
    // Cells: a sensor with the nodes that follow their first input.
    std::unordered_map<std::string, std::string> root;
    std::map<std::string, std::vector<std::string>> cells;
    for (auto& n : s.graph.nodes) {
      auto r = n.needs.empty() ? n.name : root.at(n.needs.front());
      root.emplace(n.name, r);
      cells[r].push_back(n.name);
    }
    std::map<std::string, double> load;
    for (auto& m : members)
      load[m.name] = 0;
    struct cell {
      std::string member;
      double cost = 0;
      std::vector<std::string> nodes;
    };
    std::vector<cell> movable;
    for (auto& [r, nodes] : cells) {
      cell c;
      bool one_member = true;
      for (auto& name : nodes) {
        auto& where = s.dir_members[index.at(name)];
        double x = 1 + (cost->count(name) ? cost->at(name) : 0.0);
        load[where] += x;
        c.cost += x;
        if (c.member.empty())
          c.member = where;
        one_member = one_member && where == c.member;
      }
      c.nodes = nodes;
      if (one_member && load.count(c.member) > 0)
        movable.push_back(std::move(c));
    }
    // Largest cells first, each from its member to the least loaded one
    // while that narrows the gap between the two.
    std::sort(movable.begin(), movable.end(),
              [](const cell& x, const cell& y) { return x.cost > y.cost; });
    std::map<std::string, std::string> target;
    for (bool moved = true; moved;) {
      moved = false;
      auto lo = std::min_element(load.begin(), load.end(),
                                 [](auto& x, auto& y) {
                                   return x.second < y.second;
                                 });
      for (auto& c : movable) {
        auto& from = load[c.member];
        if (c.member == lo->first || c.cost >= from - lo->second)
          continue;
        from -= c.cost;
        lo->second += c.cost;
        c.member = lo->first;
        for (auto& name : c.nodes)
          target[name] = lo->first;
        moved = true;
        break;
      }
    }
    // Nodes that end where they started stay.
    for (auto i = target.begin(); i != target.end();)
      if (s.dir_members[index.at(i->first)] == i->second)
        i = target.erase(i);
      else
        ++i;
    if (target.empty()) {
      s.busy = false;
      return;
    }
    auto run = std::make_shared<rebalance_run>();
    std::map<std::string, std::vector<std::string>> by_member;
    for (auto i = s.graph.nodes.rbegin(); i != s.graph.nodes.rend(); ++i) {
      auto t = target.find(i->name);
      if (t == target.end())
        continue;
      auto k = index.at(i->name);
      run->moves.push_back(
        {i->name, s.dir_actors[k], caf::actor{}, s.dir_members[k], t->second});
      by_member[t->second].push_back(i->name);
    }
    // The new actors wait, in standby, for their old actors' state.
    auto spawning = std::make_shared<size_t>(by_member.size());
    for (auto& [member, names] : by_member) {
      auto host = s.members.at(member).info.host;
      auto xs = names;
      self
        ->request(host, std::chrono::minutes(2), deploy_atom_v, s.graph, xs,
                  true)
        .then(
          [=](std::vector<caf::actor>& actors) {
            for (size_t j = 0; j < xs.size() && j < actors.size(); ++j)
              for (auto& m : run->moves)
                if (m.name == xs[j])
                  m.to = actors[j];
            if (--*spawning == 0)
              move_next(self, run);
          },
          [=](caf::error& err) {
            std::fprintf(stderr, "shoal-node: member %s: re-balance: %s\n",
                         self->state.opts.name.c_str(), describe(err).c_str());
            // Nothing moves to that member.
            for (auto& m : run->moves)
              if (m.to_member == member)
                m.to_member.clear();
            if (--*spawning == 0)
              move_next(self, run);
          });
    }
  };
  auto done_one = [=] {
    if (--*pending == 0)
      plan();
  };
  for (auto& m : members)
    self->request(m.host, std::chrono::seconds(5), stats_atom_v)
      .then(
        [=](std::vector<std::string>& names, std::vector<node_counts>& counts,
            std::vector<ingest_counts>& samples, int64_t) {
          for (size_t i = 0; i < names.size(); ++i)
            (*cost)[names[i]] = static_cast<double>(
              (i < counts.size() ? counts[i].firings : 0)
              + (i < samples.size() ? samples[i].accepted : 0));
          done_one();
        },
        [=](caf::error&) { done_one(); });
}

} // namespace shoal
