#include "actors/cluster/checkpointer.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

#include "caf/all.hpp"

#include "actors/cluster/checkpoint_leader.hpp"
#include "actors/cluster/graph_change.hpp"
#include "actors/cluster/member_actor.hpp"
#include "actors/cluster/replay_resume.hpp"
#include "actors/messages.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/log_sink.hpp"

namespace shoal {

namespace {

/// The replay source under way here, if any: not one that read all its
/// input and quit (it hears of no round; replay_round_began records that
/// the input ended).
caf::actor replay_source_of(member_self self) {
  auto& run = self->state.replay.run;
  return run && run->error.empty() && !run->source_done ? run->source
                                                        : caf::actor{};
}

/// Delivers this member's part once its host and its replay sink are done.
void finish_part(member_self self) {
  auto& part = self->state.checkpoint.part;
  if (part && part->host_done && part->sink_done && part->position_done) {
    part->rp.deliver(uint64_t{0});
    part.reset();
  }
}

/// This member's part of round `k`: its replay source marks the round, its
/// graph host writes its nodes' states here and at `copy_host`, and its
/// replay sink has every output from before the marks.
caf::result<uint64_t> take_round(member_self self, uint64_t k,
                                 caf::actor copy_host) {
  auto& ck = self->state.checkpoint;
  if (k <= ck.meta.k)
    // A store that committed a newer round (a member restarted with its
    // data_dir): the leader goes on after it.
    return ck.meta.k;
  ck.newest = std::max(ck.newest, k);
  ck.marking = k;
  if (ck.part && ck.part->rp.pending())
    ck.part->rp.deliver(make_error(errc::invalid_input,
                                   "superseded by round " + std::to_string(k)));
  auto part = std::make_shared<member_part>();
  part->k = k;
  part->rp = self->make_response_promise();
  auto& run = self->state.replay.run;
  if (run && run->error.empty() && run->sink && !run->sink_done)
    part->sink_done = false;
  ck.part = part;
  replay_round_began(self, k);
  if (auto src = replay_source_of(self)) {
    part->position_done = !run->resume.on;
    self->send(src, ckpt_atom_v, k);
  }
  self
    ->request(self->state.host, round_timeout, ckpt_atom_v, k,
              std::move(copy_host))
    .then(
      [=](caf::ok_atom) {
        part->host_done = true;
        if (self->state.checkpoint.part == part)
          finish_part(self);
      },
      [=](caf::error& err) {
        if (part->rp.pending())
          part->rp.deliver(std::move(err));
        if (self->state.checkpoint.part == part)
          self->state.checkpoint.part.reset();
      });
  return part->rp;
}

/// Round `k` ended (committed with `meta`, or not).
void round_ended(member_self self, uint64_t k, bool committed,
                 std::string& meta) {
  auto& st = self->state;
  auto& ck = st.checkpoint;
  ck.newest = std::max(ck.newest, k);
  replay_round_ended(self, k, committed);
  if (ck.marking <= k)
    ck.marking = 0;
  if (!committed)
    // What sensors and nodes hold after their marks of round k goes on.
    self->send(st.host, ckpt_atom_v, done_atom_v, k);
  if (!committed || k <= ck.meta.k)
    return;
  auto m = decode_meta(self->system(), meta);
  if (!m) {
    logf(*st.opts.log, log_level::error,
         {{"event", "checkpoint_failed"},
          {"round", k},
          {"error", describe(m.error())}},
         "shoal-node: member %s: checkpoint %llu: %s", st.opts.name.c_str(),
         static_cast<unsigned long long>(k), describe(m.error()).c_str());
    return;
  }
  // The placement (every node's member) and the graph go into the store
  // only with the first round after they changed, beside the round's small
  // metadata, so that a restarted cluster can restore them.
  std::string placement;
  if (!ck.placement_stored || m->nodes != ck.meta.nodes
      || m->owners != ck.meta.owners) {
    checkpoint_meta p;
    p.k = k;
    p.nodes = m->nodes;
    p.owners = m->owners;
    placement = encode_meta(self->system(), p);
    ck.placement_stored = true;
  }
  ck.meta = std::move(*m);
  auto small = ck.meta;
  small.nodes.clear();
  small.owners.clear();
  meta = encode_meta(self->system(), small);
  std::string graph;
  if (st.coordinator.deployed && ck.graph_stored != st.coordinator.generation) {
    graph = encode_graph(self->system(), st.coordinator.graph);
    ck.graph_stored = st.coordinator.generation;
  }
  auto name = st.opts.name;
  auto log = st.opts.log;
  self
    ->request(st.host, round_timeout, ckpt_atom_v, caf::ok_atom_v, k,
              std::move(meta), std::move(graph), std::move(placement))
    .then([](caf::ok_atom) {},
          [=](caf::error& err) {
            logf(*log, log_level::error,
                 {{"event", "checkpoint_failed"},
                  {"round", k},
                  {"error", describe(err)}},
                 "shoal-node: member %s: committing checkpoint %llu: %s",
                 name.c_str(), static_cast<unsigned long long>(k),
                 describe(err).c_str());
          });
}

} // namespace

std::vector<state_fetch>
states_to_fetch(const member_state& st, const std::vector<std::string>& nodes) {
  auto& meta = st.checkpoint.meta;
  auto& live = st.membership.members;
  std::vector<state_fetch> out;
  if (meta.k == 0)
    return out;
  std::unordered_map<std::string, size_t> owner_of;
  for (size_t i = 0; i < meta.nodes.size() && i < meta.owners.size(); ++i)
    owner_of.emplace(meta.nodes[i], i);
  // Per owner: who has its states (itself if alive, else its copy's keeper).
  std::unordered_map<std::string, size_t> fetch_of;
  for (auto& name : nodes) {
    auto i = owner_of.find(name);
    if (i == owner_of.end())
      continue;
    auto& owner = meta.owners[i->second];
    auto f = fetch_of.find(owner);
    if (f == fetch_of.end()) {
      std::string holder = owner;
      if (live.count(owner) == 0) {
        holder.clear();
        for (size_t j = 0; j < meta.members.size() && j < meta.copies.size();
             ++j)
          if (meta.members[j] == owner)
            holder = meta.copies[j];
      }
      auto m = live.find(holder);
      if (holder.empty() || m == live.end())
        continue;
      f = fetch_of.emplace(owner, out.size()).first;
      out.push_back(state_fetch{m->second.info.host, owner, meta.k, {}});
    }
    out[f->second].names.push_back(name);
  }
  return out;
}

void load_committed(member_self self, uint64_t k, const std::string& meta) {
  auto& st = self->state;
  auto& ck = st.checkpoint;
  auto fail = [&](const std::string& why) {
    logf(*st.opts.log, log_level::warning,
         {{"event", "checkpoint_unreadable"}, {"round", k}, {"error", why}},
         "shoal-node: member %s: checkpoint %llu of the store cannot be "
         "restored: %s",
         st.opts.name.c_str(), static_cast<unsigned long long>(k), why.c_str());
  };
  ck.newest = k;
  auto m = decode_meta(self->system(), meta);
  if (!m) {
    fail(describe(m.error()));
    return;
  }
  ck.meta = std::move(*m);
  auto read = st.opts.store->read(graph_owner, k, {"graph", "placement"});
  if (!read) {
    fail(describe(read.error()));
    return;
  }
  for (auto& [what, bytes] : *read) {
    if (what == "placement") {
      auto p = decode_meta(self->system(), bytes);
      if (!p) {
        fail(describe(p.error()));
        return;
      }
      ck.meta.nodes = std::move(p->nodes);
      ck.meta.owners = std::move(p->owners);
      ck.placement_stored = true;
    } else {
      auto g = decode_graph(self->system(), bytes);
      if (!g) {
        fail(describe(g.error()));
        return;
      }
      ck.saved_graph = std::move(*g);
    }
  }
}

void start_checkpoints(member_self self) {
  if (self->state.opts.checkpoint_interval.count() > 0)
    self->delayed_send(self, self->state.opts.checkpoint_interval, ckpt_atom_v,
                       caf::tick_atom_v);
}

void replay_part_source_done(member_self self) {
  auto& part = self->state.checkpoint.part;
  if (!part || part->position_done)
    return;
  // It quit before it got the round. When it had read all its input, it
  // had sent all of it, which every sensor takes in before its part (it
  // detached after it), and the round records that the input ended; when
  // the replay failed or ended, nothing goes on from the round.
  replay_round_began(self, part->k);
  part->position_done = true;
  finish_part(self);
}

void replay_part_sink_done(member_self self) {
  auto& part = self->state.checkpoint.part;
  if (!part || part->sink_done)
    return;
  // It has every output of the replay, those from before the round too.
  part->sink_done = true;
  finish_part(self);
}

caf::message_handler checkpoint_handlers(member_self self) {
  return {
    [=](ckpt_atom, caf::tick_atom) {
      if (self->state.membership.left)
        return;
      restore_saved_graph(self);
      start_round(self);
      start_checkpoints(self);
    },
    [=](ckpt_atom, uint64_t k, caf::actor& copy_host) {
      return take_round(self, k, std::move(copy_host));
    },
    [=](ckpt_atom, uint64_t k, bool committed, std::string& meta) {
      round_ended(self, k, committed, meta);
    },
    [=](ckpt_atom, uint64_t k) {
      // The replay sink has every output from before round k.
      auto& part = self->state.checkpoint.part;
      if (part && part->k <= k) {
        part->sink_done = true;
        finish_part(self);
      }
    },
    [=](ckpt_atom, uint64_t k, uint64_t offset, std::string& position) {
      replay_round_position(self, k, offset, std::move(position));
      auto& part = self->state.checkpoint.part;
      if (part && part->k == k) {
        part->position_done = true;
        finish_part(self);
      }
    },
    [=](ckpt_atom, restore_atom, uint64_t k) {
      replay_restored(self, k);
    },
    [=](ckpt_atom, sync_atom, std::vector<std::string>& names,
        std::vector<caf::actor>& actors) {
      auto rp = self->make_response_promise();
      replay_sync_restored(self, std::move(names), std::move(actors), rp);
      return rp;
    },
    [=](ckpt_atom, caf::get_atom) {
      auto& st = self->state;
      auto& ck = st.checkpoint;
      return caf::make_message(ck.meta.k, ck.committed_rounds, ck.failed_rounds,
                               static_cast<int64_t>(ck.last_took.count()),
                               ck.last_failure, st.status.nodes_failed_over,
                               st.status.nodes_warm, ck.skipped_rounds,
                               st.status.live_rolled_back);
    },
    [=](ckpt_atom, report_atom, uint64_t live_rolled_back) {
      auto& n = self->state.status.live_rolled_back;
      n = std::max(n, live_rolled_back);
    },
  };
}

} // namespace shoal
