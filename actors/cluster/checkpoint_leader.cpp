#include "actors/cluster/checkpoint_leader.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "caf/all.hpp"

#include "actors/cluster/checkpointer.hpp"
#include "actors/cluster/graph_change.hpp"
#include "actors/cluster/member_actor.hpp"
#include "actors/messages.hpp"
#include "runtime/core/log_sink.hpp"

namespace shoal {

namespace {

/// Round `k` ended: notes when (for `checkpoint_min_pause`) and tells
/// every member how.
void end_round(member_self self, uint64_t k, bool committed,
               const std::string& meta) {
  self->state.checkpoint.ended = std::chrono::steady_clock::now();
  for (auto& m : all_members(self->state.membership))
    self->send(m.handle, ckpt_atom_v, k, committed, meta);
}

/// How often at most the leader warns that rounds take longer than the
/// interval.
constexpr auto slow_warning_every = std::chrono::minutes(10);

/// Warns (`checkpoint_slow`) when committed round `k` took longer than the
/// interval and no pause between rounds is set: the rounds then run back
/// to back (docs/cluster.md, "Choosing the interval").
void warn_if_slow(member_self self, uint64_t k) {
  auto& st = self->state;
  auto& ck = st.checkpoint;
  auto now = std::chrono::steady_clock::now();
  if (ck.last_took <= st.opts.checkpoint_interval
      || st.opts.checkpoint_min_pause.count() > 0
      || (ck.warned_slow && now - *ck.warned_slow < slow_warning_every))
    return;
  ck.warned_slow = now;
  auto ms = static_cast<double>(ck.last_took.count()) / 1000.0;
  auto interval_ms
    = static_cast<long long>(st.opts.checkpoint_interval.count());
  logf(*st.opts.log, log_level::warning,
       {{"event", "checkpoint_slow"},
        {"round", k},
        {"ms", ms},
        {"interval_ms", interval_ms}},
       "shoal-node: member %s: checkpoint %llu took %.0f ms, longer than "
       "checkpoint_interval_ms (%lld): the rounds run back to back; a longer "
       "interval or checkpoint_min_pause_ms leaves the graph time between "
       "them",
       st.opts.name.c_str(), static_cast<unsigned long long>(k), ms,
       interval_ms);
}

/// Every member wrote its part: round `k` is committed.
void commit_round(member_self self, uint64_t k) {
  auto& st = self->state;
  auto& ck = st.checkpoint;
  checkpoint_meta m;
  m.k = k;
  for (auto& e : st.coordinator.dir) {
    m.nodes.push_back(e.name);
    m.owners.push_back(e.member);
  }
  // Who keeps whose copy as the round asked them (a member that joined
  // meanwhile keeps none yet).
  m.members = std::move(ck.round_members);
  m.copies = std::move(ck.round_copies);
  ck.round = 0;
  ++ck.committed_rounds;
  ck.activity = std::move(ck.round_activity);
  ck.activity_generation = st.coordinator.generation;
  ck.last_took = std::chrono::duration_cast<std::chrono::microseconds>(
    std::chrono::steady_clock::now() - ck.started);
  logf(*st.opts.log, log_level::debug,
       {{"event", "checkpoint"},
        {"round", k},
        {"nodes", m.nodes.size()},
        {"members", m.members.size()},
        {"ms", static_cast<double>(ck.last_took.count()) / 1000.0}},
       "shoal-node: member %s: checkpoint %llu committed", st.opts.name.c_str(),
       static_cast<unsigned long long>(k));
  warn_if_slow(self, k);
  end_round(self, k, true, encode_meta(self->system(), m));
}

/// Whether a round may start now (this member leads, nothing else runs).
bool may_start_round(member_self self) {
  auto& st = self->state;
  auto& ck = st.checkpoint;
  auto paused_enough = !ck.ended
                       || std::chrono::steady_clock::now() - *ck.ended
                            >= st.opts.checkpoint_min_pause;
  return ck.round == 0 && !ck.probing && is_leader(self)
         && st.coordinator.deployed && !st.coordinator.busy
         && !st.coordinator.failover_pending
         && st.coordinator.leave_queue.empty() && paused_enough;
}

/// Runs round `newest + 1`.
void run_round(member_self self) {
  auto& st = self->state;
  auto& ck = st.checkpoint;
  auto members = all_members(st.membership);
  auto k = std::max(ck.newest, ck.meta.k) + 1;
  ck.newest = k;
  ck.round = k;
  ck.pending = members.size();
  ck.started = std::chrono::steady_clock::now();
  ck.round_members.clear();
  ck.round_copies.clear();
  for (size_t j = 0; j < members.size(); ++j) {
    ck.round_members.push_back(members[j].name);
    ck.round_copies.push_back(members.size() > 1
                                ? members[(j + 1) % members.size()].name
                                : std::string{});
  }
  for (size_t j = 0; j < members.size(); ++j) {
    auto copy = members.size() > 1 ? members[(j + 1) % members.size()].host
                                   : caf::actor{};
    auto name = members[j].name;
    self->request(members[j].handle, round_timeout, ckpt_atom_v, k, copy)
      .then(
        [=](uint64_t newer) {
          auto& c = self->state.checkpoint;
          if (c.round != k)
            return;
          if (newer != 0) {
            c.newest = std::max(c.newest, newer);
            abort_round(self, "member " + name + " committed round "
                                + std::to_string(newer)
                                + " before; the next round goes on after it");
            return;
          }
          if (--c.pending == 0)
            commit_round(self, k);
        },
        [=](caf::error& err) {
          if (self->state.checkpoint.round != k)
            return;
          abort_round(self, "member " + name + ": " + describe(err));
        });
  }
}

} // namespace

/// Asks every member's graph host what its process did so far, then runs a
/// round unless nothing changed anywhere since the last committed one.
void start_round(member_self self) {
  if (!may_start_round(self))
    return;
  auto& st = self->state;
  auto members = all_members(st.membership);
  st.checkpoint.probing = true;
  auto seen = std::make_shared<std::map<std::string, uint64_t>>();
  auto pending = std::make_shared<size_t>(members.size());
  auto done_one = [=] {
    if (--*pending > 0)
      return;
    auto& ck = self->state.checkpoint;
    ck.probing = false;
    if (!may_start_round(self))
      return;
    auto generation = self->state.coordinator.generation;
    if (ck.meta.k > 0 && *seen == ck.activity
        && generation == ck.activity_generation) {
      ++ck.skipped_rounds;
      return;
    }
    ck.round_activity = std::move(*seen);
    run_round(self);
  };
  for (auto& m : members)
    self->request(m.host, std::chrono::seconds(2), ckpt_atom_v, load_atom_v)
      .then(
        [=, name = m.name](uint64_t n) {
          (*seen)[name] = n;
          done_one();
        },
        [=](caf::error&) {
          // Unknown: the round runs (an empty entry never matches).
          (*seen)[""] = 0;
          done_one();
        });
}

/// A restarted cluster's leader: restores the graph of its store's
/// committed round with every node's state, once the members of that round
/// are back or `restore_wait` passed (nodes whose states no live member
/// keeps start cold).
void restore_saved_graph(member_self self) {
  auto& st = self->state;
  auto& ck = st.checkpoint;
  if (!ck.saved_graph || !is_leader(self) || st.coordinator.deployed
      || st.coordinator.busy)
    return;
  auto& live = st.membership.members;
  bool all_back = true;
  for (auto& m : ck.meta.members)
    all_back = all_back && live.count(m) > 0;
  if (!all_back
      && std::chrono::steady_clock::now() - ck.member_started < restore_wait)
    return;
  graph_change c;
  c.merged = std::move(*ck.saved_graph);
  ck.saved_graph.reset();
  for (auto& n : c.merged.nodes)
    c.spawn.push_back(n.name);
  c.failover = true;
  c.restore_k = ck.meta.k;
  for (size_t i = 0; i < ck.meta.nodes.size() && i < ck.meta.owners.size(); ++i)
    c.placed_before.emplace(ck.meta.nodes[i], ck.meta.owners[i]);
  c.what = "restored " + std::to_string(c.spawn.size())
           + " nodes from checkpoint " + std::to_string(ck.meta.k)
           + " after a restart";
  c.fields = {
    {"event", "restore"}, {"checkpoint", ck.meta.k}, {"nodes", c.spawn.size()}};
  logf(*st.opts.log, log_level::info, c.fields,
       "shoal-node: member %s: restoring the graph of checkpoint %llu (%zu "
       "nodes)",
       st.opts.name.c_str(), static_cast<unsigned long long>(ck.meta.k),
       c.spawn.size());
  change_graph(self, std::move(c), caf::response_promise{});
}

void abort_round(member_self self, const std::string& why) {
  auto& st = self->state;
  auto& ck = st.checkpoint;
  if (ck.round == 0)
    return;
  auto k = ck.round;
  ck.round = 0;
  ++ck.failed_rounds;
  ck.last_failure = why;
  logf(*st.opts.log, log_level::warning,
       {{"event", "checkpoint_aborted"}, {"round", k}, {"error", why}},
       "shoal-node: member %s: checkpoint %llu not taken: %s",
       st.opts.name.c_str(), static_cast<unsigned long long>(k), why.c_str());
  end_round(self, k, false, std::string{});
}

} // namespace shoal
