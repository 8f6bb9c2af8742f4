#include "actors/cluster/membership.hpp"

#include <algorithm>
#include <chrono>
#include <set>

#include "caf/all.hpp"
#include "caf/io/middleman.hpp"

#include "actors/cluster/member_actor.hpp"
#include "runtime/cluster/formation.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/log_sink.hpp"

namespace shoal {

namespace {

int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
           std::chrono::steady_clock::now().time_since_epoch())
    .count();
}

/// Adds `x` unless known; `direct`: it joined through this member, or this
/// member through it (see member_links.hpp); `answered`: the former.
/// Returns whether it was new.
bool add_member(member_self self, member_info x, bool direct,
                bool answered = false) {
  auto& st = self->state.membership;
  auto& me = self->state.opts.name;
  if (x.name == me || !x.handle)
    return false;
  auto i = st.members.find(x.name);
  if (i != st.members.end() && i->second.info.handle == x.handle)
    return false;
  self->monitor(x.handle);
  link_member(self, x, direct);
  logf(*self->state.opts.log, log_level::info,
       {{"event", "joined"}, {"peer", x.name}, {"address", x.address}},
       "shoal-node: member %s: %s joined (%s)", me.c_str(), x.name.c_str(),
       x.address.c_str());
  auto name = x.name;
  st.members[name] = membership_state::entry{std::move(x), steady_ns()};
  st.formed = true;
  on_member_joined(self, name, answered);
  return true;
}

/// Adds the members of a join answer or a membership update (`through`:
/// the member this one joined through). When that taught this member
/// something and it knows a member the list lacks, it tells every member
/// the whole set: a member that was joined while its own join was under
/// way, or two members that each took in a newcomer at the same moment,
/// would otherwise leave some members unaware of each other.
void learn_members(member_self self, std::vector<member_info> xs,
                   const caf::actor& through) {
  auto& st = self->state.membership;
  std::set<std::string> listed;
  bool learned = false;
  for (auto& x : xs) {
    listed.insert(x.name);
    auto direct = through && x.handle == through;
    learned = add_member(self, std::move(x), direct) || learned;
  }
  auto lacks = std::any_of(st.members.begin(), st.members.end(), [&](auto& kv) {
    return listed.count(kv.first) == 0;
  });
  if (learned && lacks)
    tell_others(self, "", members_atom_v, all_members(st));
}

void remove_member(member_self self, const std::string& name,
                   const std::string& reason) {
  auto& st = self->state.membership;
  auto& me = self->state.opts.name;
  auto i = st.members.find(name);
  if (i == st.members.end() || name == me)
    return;
  self->demonitor(i->second.info.handle);
  st.members.erase(i);
  unlink_member(self, name);
  st.departed.push_back(name + ": " + reason);
  logf(*self->state.opts.log, log_level::info,
       {{"event", "left"}, {"peer", name}, {"reason", reason}},
       "shoal-node: member %s: %s left (%s)", me.c_str(), name.c_str(),
       reason.c_str());
  tell_others(self, name, left_atom_v, name, reason);
  on_member_left(self, name, reason);
}

/// Heartbeats during which a member asks only the seeds listed before its
/// own address (see `try_join`).
constexpr size_t lower_seeds_first = 2;

/// Asks the next seed to let us in, unless we know other members already.
///
/// Two members that connect to each other at the same moment can lose both
/// connections: CAF 0.17 closes, on each side, the connection it finds
/// redundant, and each side picks the other's (seen with TLS, whose longer
/// handshake widens the window). So a member first asks only the seeds
/// whose address sorts before its own, and all of them after
/// `lower_seeds_first` heartbeats: of two members started together, the
/// later one in that order asks, the other answers.
void try_join(member_self self) {
  auto& st = self->state.membership;
  auto& opts = self->state.opts;
  if (st.joining || st.members.size() > 1)
    return;
  auto mine = opts.listen.to_string();
  std::vector<net_address> others;
  for (auto& s : opts.seeds) {
    auto text = s.to_string();
    if (text != mine && (st.join_rounds >= lower_seeds_first || text < mine))
      others.push_back(s);
  }
  ++st.join_rounds;
  if (others.empty())
    return;
  auto seed = others[st.next_seed++ % others.size()];
  st.joining = true;
  auto mm = opts.transport ? opts.transport
                           : self->home_system().middleman().actor_handle();
  self
    ->request(mm, std::chrono::seconds(5), caf::connect_atom_v, seed.host,
              seed.port)
    .then(
      [=](const caf::node_id&, caf::strong_actor_ptr& ptr,
          const std::set<std::string>&) {
        auto peer = caf::actor_cast<caf::actor>(ptr);
        if (!peer) {
          self->state.membership.joining = false;
          return;
        }
        auto& s = self->state;
        member_info me{s.opts.name, s.opts.listen.to_string(),
                       caf::actor_cast<caf::actor>(self), s.host};
        self->request(peer, std::chrono::seconds(5), join_atom_v, me)
          .then(
            [=](std::vector<member_info>& xs) {
              self->state.membership.joining = false;
              learn_members(self, std::move(xs), peer);
            },
            [=](caf::error& err) {
              self->state.membership.joining = false;
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
        self->state.membership.joining = false;
      });
}

/// Tells every other member that this one leaves, then delivers `summary`
/// once each has handled it (its answer to `get` comes after its `left`:
/// one connection, one mailbox), or after 2 s.
void say_goodbye(member_self self, std::string summary,
                 caf::response_promise rp) {
  auto& st = self->state.membership;
  auto& me = self->state.opts.name;
  st.left = true;
  if (st.members.size() < 2) {
    // The others were dropped meanwhile (silent): nobody to tell.
    rp.deliver(std::move(summary));
    return;
  }
  auto others = std::make_shared<size_t>(st.members.size() - 1);
  auto text = std::make_shared<std::string>(std::move(summary));
  auto one_done = [=]() mutable {
    if (--*others == 0)
      rp.deliver(*text);
  };
  for (auto& [name, e] : st.members) {
    if (name == me)
      continue;
    self->send(e.info.handle, left_atom_v, me, std::string{planned_leave});
    self->request(e.info.handle, std::chrono::seconds(2), caf::get_atom_v)
      .then(
        [=](const std::vector<member_info>&) mutable {
          one_done();
        },
        [=](caf::error&) mutable {
          one_done();
        });
  }
}

} // namespace

void drop_member(member_self self, const std::string& name,
                 const std::string& reason) {
  remove_member(self, name, reason);
}

void start_membership(member_self self) {
  auto& s = self->state;
  s.membership.started = steady_ns();
  s.membership.members[s.opts.name] = membership_state::entry{
    member_info{s.opts.name, s.opts.listen.to_string(),
                caf::actor_cast<caf::actor>(self), s.host},
    steady_ns()};
  self->set_down_handler([=](caf::down_msg& dm) {
    for (auto& [name, e] : self->state.membership.members) {
      if (e.info.handle.address() == dm.source) {
        auto who = name;
        remove_member(self, who, "connection lost: " + to_string(dm.reason));
        return;
      }
    }
    on_other_down(self, dm.source);
  });
}

caf::message_handler membership_handlers(member_self self) {
  return {
    [=](join_atom, member_info& who) -> caf::result<std::vector<member_info>> {
      auto& st = self->state.membership;
      auto i = st.members.find(who.name);
      if (i != st.members.end() && i->second.info.handle != who.handle)
        return make_error(errc::invalid_config,
                          "member name '" + who.name + "' is taken by "
                            + i->second.info.address + " (asked by "
                            + who.address + ")");
      // Before the answer: the newcomer learns the deployment first.
      add_member(self, who, true, true);
      auto xs = all_members(st);
      tell_others(self, who.name, members_atom_v, xs);
      return xs;
    },
    [=](members_atom, std::vector<member_info>& xs) {
      learn_members(self, std::move(xs), caf::actor{});
    },
    [=](heartbeat_atom, const std::string& name, bool linked) {
      auto& st = self->state.membership;
      auto i = st.members.find(name);
      if (i == st.members.end())
        return;
      i->second.last_seen = steady_ns();
      peer_says_linked(self, name, linked);
    },
    [=](left_atom, const std::string& name, const std::string& reason) {
      remove_member(self, name, reason);
    },
    [=](caf::get_atom) {
      return all_members(self->state.membership);
    },
    [=](leave_atom) -> caf::result<std::string> {
      auto& st = self->state.membership;
      if (st.members.size() < 2) {
        st.left = true;
        return std::string{"alone: nothing to hand over"};
      }
      auto rp = self->make_response_promise();
      auto& me = self->state.opts.name;
      self
        ->request(leader(st).info.handle, self->state.opts.leave_timeout,
                  leave_atom_v, me)
        .then(
          [=](std::string& summary) {
            say_goodbye(self, std::move(summary), rp);
          },
          [=](caf::error& err) {
            say_goodbye(self,
                        "the hand-over did not finish: " + describe(err)
                          + " (what did not move is placed again cold)",
                        rp);
          });
      return caf::delegated<std::string>{};
    },
  };
}

void membership_tick(member_self self) {
  auto& st = self->state.membership;
  auto& opts = self->state.opts;
  // Urgent: a member whose actors are busy with a flood of batches must
  // still be heard (and hear) within the failure timeout.
  auto linked = linked_to_all(self);
  for (auto& [name, e] : st.members)
    if (name != opts.name)
      self->send<caf::message_priority::high>(e.info.handle, heartbeat_atom_v,
                                              opts.name, linked);
  auto now = steady_ns();
  auto limit = std::chrono::nanoseconds(opts.failure_timeout).count();
  std::vector<std::string> silent;
  for (auto& [name, e] : st.members)
    if (name != opts.name && now - e.last_seen > limit)
      silent.push_back(name);
  for (auto& name : silent)
    remove_member(self, name,
                  "no heartbeat for "
                    + std::to_string(opts.failure_timeout.count()) + " ms");
  if (!st.formed)
    st.formed = cluster_formed(st.members.size(),
                               std::chrono::nanoseconds(now - st.started),
                               opts.heartbeat);
  links_tick(self);
  try_join(self);
}

const membership_state::entry& leader(const membership_state& st) {
  // std::map: the first entry has the smallest name.
  return st.members.begin()->second;
}

bool is_leader(member_self self) {
  return leader(self->state.membership).info.name == self->state.opts.name;
}

std::vector<member_info> all_members(const membership_state& st) {
  std::vector<member_info> xs;
  for (auto& [name, e] : st.members)
    xs.push_back(e.info);
  return xs;
}

std::vector<std::string> down_members(const membership_state& st) {
  std::vector<std::string> down;
  for (auto& d : st.departed) {
    auto name = d.substr(0, d.find(": "));
    if (st.members.count(name) == 0
        && std::find(down.begin(), down.end(), name) == down.end())
      down.push_back(std::move(name));
  }
  return down;
}

} // namespace shoal
