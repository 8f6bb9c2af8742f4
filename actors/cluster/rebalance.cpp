#include "actors/cluster/rebalance.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <unordered_map>

#include "caf/all.hpp"

#include "actors/messages.hpp"
#include "runtime/cluster/placement.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/log_sink.hpp"

namespace shoal {

namespace {

/// A re-balance under way: the moves in reverse topological order, and the
/// next one to make.
struct rebalance_run {
  struct move {
    std::string name;
    caf::actor from;
    /// The new actor; invalid if its member could not spawn it.
    caf::actor to;
    std::string from_member;
    std::string to_member;
    bool done = false;
  };
  std::vector<move> moves;
  size_t next = 0;
  /// Called with the nodes moved once the new placement is committed.
  std::function<void(const rebalance_run&)> done;
};

using run_ptr = std::shared_ptr<rebalance_run>;

/// Where each node to move goes (runtime/cluster/placement.hpp). `cost`
/// holds the measured firings (or samples) of each node.
/// `leaving`: the member whose nodes all go (a planned leave); empty: a
/// re-balance. Members that are leaving take nothing.
std::map<std::string, std::string>
plan_moves(const member_state& st,
           const std::unordered_map<std::string, double>& cost,
           const std::string& leaving) {
  auto& graph = st.coordinator.graph;
  std::unordered_map<std::string, std::string> member_of;
  for (auto& e : st.coordinator.dir)
    member_of.emplace(e.name, e.member);
  std::vector<std::string> members;
  for (auto& [name, e] : st.membership.members)
    if (st.coordinator.leaving.count(name) == 0)
      members.push_back(name);
  if (!leaving.empty())
    return plan_leave(graph, member_of, members, cost, leaving);
  return plan_rebalance(graph, member_of, members, cost);
}

/// The moves are done (or failed): every member learns the new placement.
void finish_rebalance(member_self self, const run_ptr& run) {
  auto& st = self->state;
  std::unordered_map<std::string, const rebalance_run::move*> moved;
  for (auto& m : run->moves)
    if (m.done)
      moved.emplace(m.name, &m);
  std::map<std::string, std::vector<caf::actor>> stopped;
  auto dir = st.coordinator.dir;
  for (auto& e : st.coordinator.dir) {
    auto m = moved.find(e.name);
    if (m == moved.end())
      continue;
    stopped[m->second->from_member].push_back(m->second->from);
    dir.put(e.name, m->second->to, m->second->to_member);
  }
  // The old actors have stopped; their hosts forget them (a handle to a
  // stopped actor may arrive invalid: the host skips those, and forgets
  // moved nodes by their report anyway).
  for (auto& [member, xs] : stopped)
    if (auto i = st.membership.members.find(member);
        i != st.membership.members.end())
      self->send(i->second.info.host, remove_atom_v, xs);
  commit_deployment(self, st.coordinator.graph, std::move(dir), false);
  end_change(self);
  run->done(*run);
}

/// What moved where, for the log: "N to m1 M to m2".
std::string arrivals(const rebalance_run& run) {
  std::map<std::string, size_t> arrived;
  for (auto& m : run.moves)
    if (m.done)
      ++arrived[m.to_member];
  std::string what;
  for (auto& [member, n] : arrived)
    what += " " + std::to_string(n) + " to " + member;
  return what;
}

/// Moves the next node, one at a time: a node's inputs and subscribers are
/// never in the middle of another move.
void move_next(member_self self, run_ptr run) {
  while (run->next < run->moves.size() && !run->moves[run->next].to)
    ++run->next; // its new member could not take it: it stays
  if (run->next == run->moves.size()) {
    finish_rebalance(self, run);
    return;
  }
  auto k = run->next++;
  auto& m = run->moves[k];
  self->request(m.from, std::chrono::seconds(30), move_atom_v, m.to)
    .then(
      [=](caf::ok_atom) {
        run->moves[k].done = true;
        move_next(self, run);
      },
      [=](caf::error& err) {
        auto& x = run->moves[k];
        logf(*self->state.opts.log, log_level::error,
             {{"event", "move_failed"},
              {"node", x.name},
              {"error", describe(err)}},
             "shoal-node: member %s: moving %s: %s",
             self->state.opts.name.c_str(), x.name.c_str(),
             describe(err).c_str());
        // The old actor stays; the waiting new one goes.
        self->send_exit(x.to, caf::exit_reason::user_shutdown);
        move_next(self, run);
      });
}

/// Spawns the new actors of `target` in standby, then moves the nodes.
void start_moves(member_self self,
                 const std::map<std::string, std::string>& target,
                 std::function<void(const rebalance_run&)> done) {
  auto& st = self->state;
  auto& graph = st.coordinator.graph;
  auto run = std::make_shared<rebalance_run>();
  run->done = std::move(done);
  std::map<std::string, std::vector<size_t>> by_member;
  for (auto i = graph.nodes.rbegin(); i != graph.nodes.rend(); ++i) {
    auto t = target.find(i->name);
    if (t == target.end())
      continue;
    auto& e = *st.coordinator.dir.find(i->name);
    by_member[t->second].push_back(run->moves.size());
    run->moves.push_back({i->name, e.actor, caf::actor{}, e.member, t->second});
  }
  auto spawning = std::make_shared<size_t>(by_member.size());
  for (auto& [member, moves] : by_member) {
    std::vector<std::string> names;
    for (auto k : moves)
      names.push_back(run->moves[k].name);
    auto ks = moves;
    self
      ->request(st.membership.members.at(member).info.host,
                std::chrono::minutes(2), deploy_atom_v, graph, names, true)
      .then(
        [=](std::vector<caf::actor>& actors) {
          for (size_t j = 0; j < ks.size() && j < actors.size(); ++j)
            run->moves[ks[j]].to = actors[j];
          if (--*spawning == 0)
            move_next(self, run);
        },
        [=](caf::error& err) {
          // Nothing moves to that member.
          logf(*self->state.opts.log, log_level::error,
               {{"event", "rebalance_failed"}, {"error", describe(err)}},
               "shoal-node: member %s: re-balance: %s",
               self->state.opts.name.c_str(), describe(err).c_str());
          if (--*spawning == 0)
            move_next(self, run);
        });
  }
}

} // namespace

namespace {

/// Measures each node's load (its firings, a sensor's samples), then plans
/// with `plan_moves` and moves; `done` hears of the moves, or of none.
void measure_and_move(member_self self, std::string leaving,
                      std::function<void(const rebalance_run&)> done) {
  begin_change(self);
  auto members = all_members(self->state.membership);
  auto cost = std::make_shared<std::unordered_map<std::string, double>>();
  auto pending = std::make_shared<size_t>(members.size());
  auto done_one = [=] {
    if (--*pending > 0)
      return;
    auto target = plan_moves(self->state, *cost, leaving);
    if (target.empty()) {
      end_change(self);
      done(rebalance_run{});
    } else {
      start_moves(self, target, done);
    }
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
        [=](caf::error&) {
          done_one();
        });
}

} // namespace

void rebalance(member_self self) {
  measure_and_move(self, "", [self](const rebalance_run& run) {
    if (run.moves.empty())
      return;
    size_t moved = 0;
    for (auto& m : run.moves)
      moved += m.done ? 1 : 0;
    logf(*self->state.opts.log, log_level::info,
         {{"event", "rebalance"}, {"moved", moved}},
         "shoal-node: member %s: re-balanced: moved %zu nodes with their "
         "state:%s",
         self->state.opts.name.c_str(), moved, arrivals(run).c_str());
  });
}

void hand_over_nodes(member_self self, const std::string& leaving,
                     caf::response_promise rp) {
  measure_and_move(self, leaving, [=](const rebalance_run& run) mutable {
    size_t moved = 0;
    std::string stayed;
    for (auto& m : run.moves) {
      if (m.done)
        ++moved;
      else
        stayed += (stayed.empty() ? "" : ", ") + m.name;
    }
    auto what = "handed over " + std::to_string(moved) + " nodes of " + leaving
                + " with their state:" + arrivals(run);
    if (moved == 0)
      what = "handed over no node of " + leaving;
    if (!stayed.empty())
      what += "; could not move " + stayed
              + " (placed again cold when it has left)";
    logf(*self->state.opts.log, log_level::info,
         {{"event", "handover"},
          {"peer", leaving},
          {"moved", moved},
          {"stayed", run.moves.size() - moved}},
         "shoal-node: member %s: %s", self->state.opts.name.c_str(),
         what.c_str());
    // Every member learned the placement above over this member's
    // connection to it; the departure follows on the same one.
    drop_member(self, leaving, planned_leave);
    // The leaving member goes once every member has handled both: its own
    // `left`, over its own connection, could otherwise overtake them and
    // find its nodes still in the old placement (counted as lost, a replay
    // under way failed).
    auto others = std::make_shared<size_t>(0);
    auto text = std::make_shared<std::string>(std::move(what));
    for (auto& [name, e] : self->state.membership.members)
      if (name != self->state.opts.name)
        ++*others;
    if (*others == 0) {
      rp.deliver(*text);
      return;
    }
    for (auto& [name, e] : self->state.membership.members) {
      if (name == self->state.opts.name)
        continue;
      auto one_done = [=]() mutable {
        if (--*others == 0)
          rp.deliver(*text);
      };
      self->request(e.info.handle, std::chrono::seconds(2), caf::get_atom_v)
        .then(
          [=](const std::vector<member_info>&) mutable {
            one_done();
          },
          [=](caf::error&) mutable {
            one_done();
          });
    }
  });
}

} // namespace shoal
