#include "actors/cluster/member_links.hpp"

#include <algorithm>
#include <chrono>
#include <set>

#include "caf/all.hpp"
#include "caf/io/middleman.hpp"

#include "actors/cluster/member_actor.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/log_sink.hpp"
#include "runtime/io/net_address.hpp"

namespace shoal {

namespace {

/// A connect through the transport waits at most 5 s for TCP, then for the
/// TLS and BASP handshakes.
constexpr auto dial_timeout = std::chrono::seconds(10);

/// Connects to member `name` at `address`; once connected, tells it `link`.
void dial(member_self self, const std::string& name,
          const std::string& address) {
  auto& links = self->state.links;
  auto i = links.peers.find(name);
  if (i == links.peers.end() || i->second.direct || i->second.dialing)
    return;
  // Written by the member from its checked `listen`: it parses.
  auto at = parse_host_port(address);
  if (!at)
    return;
  i->second.dialing = true;
  auto expected = i->second.handle;
  auto& opts = self->state.opts;
  auto mm = opts.transport ? opts.transport
                           : self->home_system().middleman().actor_handle();
  auto failed = [=](const std::string& why) {
    auto j = self->state.links.peers.find(name);
    if (j == self->state.links.peers.end() || j->second.handle != expected)
      return;
    j->second.dialing = false;
    if (j->second.failure_told)
      return;
    j->second.failure_told = true;
    logf(*self->state.opts.log, log_level::warning,
         {{"event", "connect_failed"},
          {"peer", name},
          {"address", address},
          {"error", why}},
         "shoal-node: member %s: cannot connect to %s (%s) directly: %s; "
         "trying again on each heartbeat",
         self->state.opts.name.c_str(), name.c_str(), address.c_str(),
         why.c_str());
  };
  self->request(mm, dial_timeout, caf::connect_atom_v, at->host, at->port)
    .then(
      [=](const caf::node_id&, caf::strong_actor_ptr& ptr,
          const std::set<std::string>&) {
        // Another process at that address (the member restarted): the
        // membership learns of it through a join, not here.
        if (caf::actor_cast<caf::actor_addr>(ptr) != expected) {
          failed("another process answers there");
          return;
        }
        auto j = self->state.links.peers.find(name);
        if (j == self->state.links.peers.end() || j->second.handle != expected)
          return;
        j->second.dialing = false;
        j->second.direct = true;
        self->send(caf::actor_cast<caf::actor>(ptr), link_atom_v,
                   self->state.opts.name);
      },
      [=](caf::error& err) {
        failed(describe(err));
      });
}

} // namespace

void link_member(member_self self, const member_info& x, bool direct) {
  auto& links = self->state.links;
  auto addr = x.handle.address();
  link_state::peer p;
  p.handle = addr;
  p.dials = self->state.opts.listen.to_string() < x.address;
  auto early = std::find(links.early.begin(), links.early.end(), addr);
  if (early != links.early.end()) {
    links.early.erase(early);
    direct = true;
  }
  p.direct = direct;
  links.peers[x.name] = p;
  if (!direct && p.dials)
    dial(self, x.name, x.address);
}

void unlink_member(member_self self, const std::string& name) {
  self->state.links.peers.erase(name);
}

void links_tick(member_self self) {
  auto& members = self->state.membership.members;
  std::vector<std::pair<std::string, std::string>> to_dial;
  for (auto& [name, p] : self->state.links.peers) {
    auto m = members.find(name);
    if (p.dials && !p.direct && !p.dialing && m != members.end())
      to_dial.emplace_back(name, m->second.info.address);
  }
  for (auto& [name, address] : to_dial)
    dial(self, name, address);
}

bool linked_to_all(member_self self) {
  auto& peers = self->state.links.peers;
  return std::all_of(peers.begin(), peers.end(), [](auto& kv) {
    return kv.second.direct;
  });
}

void peer_says_linked(member_self self, const std::string& name, bool linked) {
  auto i = self->state.links.peers.find(name);
  if (i != self->state.links.peers.end())
    i->second.linked = linked;
}

bool cluster_linked(member_self self) {
  auto& peers = self->state.links.peers;
  return linked_to_all(self)
         && std::all_of(peers.begin(), peers.end(), [](auto& kv) {
              return kv.second.linked;
            });
}

caf::message_handler link_handlers(member_self self) {
  return {
    [=](link_atom, const std::string& name) {
      auto& links = self->state.links;
      auto from = caf::actor_cast<caf::actor_addr>(self->current_sender());
      auto i = links.peers.find(name);
      if (i != links.peers.end() && i->second.handle == from) {
        i->second.direct = true;
        return;
      }
      // Bounded: only members send `link`, once per connection.
      constexpr size_t max_early = 64;
      if (from && links.early.size() < max_early)
        links.early.push_back(std::move(from));
    },
  };
}

} // namespace shoal
