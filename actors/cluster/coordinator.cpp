#include "actors/cluster/coordinator.hpp"

#include <chrono>
#include <string>

#include "caf/all.hpp"

#include "actors/cluster/graph_change.hpp"
#include "actors/cluster/member_actor.hpp"
#include "actors/cluster/rebalance.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/functions/fn_factory.hpp"
#include "runtime/graph/graph_size.hpp"
#include "runtime/graph/graph_validator.hpp"

namespace shoal {

namespace {

/// Refuses a change while another is under way or nothing runs.
caf::error check_can_change(const coordinator_state& st) {
  if (st.busy)
    return make_error(errc::invalid_config,
                      "another graph change is under way; try again");
  if (!st.deployed)
    return make_error(errc::not_found, "no graph is deployed: apply one first");
  return caf::none;
}

/// The leader places the nodes of departed members again, once no other
/// change is under way.
void fail_over(member_self self) {
  auto& st = self->state.coordinator;
  if (!st.failover_pending || st.busy)
    return;
  st.failover_pending = false;
  if (!st.deployed || !is_leader(self))
    return;
  auto c = plan_failover(self->state);
  if (c.spawn.empty())
    return;
  change_graph(self, std::move(c), caf::response_promise{});
}

/// The leader moves nodes to members that joined, once nothing else is
/// under way and every member is linked (member_links.hpp). A member that
/// has not learned the deployment yet (a newcomer that leads: it has the
/// smallest name) keeps the re-balancing for when it has.
void rebalance_on_join(member_self self) {
  auto& st = self->state.coordinator;
  if (!st.rebalance_pending || st.busy || st.failover_pending
      || !st.leave_queue.empty() || !st.deployed || !cluster_linked(self))
    return;
  st.rebalance_pending = false;
  if (self->state.membership.members.size() < 2 || !is_leader(self))
    return;
  rebalance(self);
}

/// The leader moves the nodes of the next leaving member to the others,
/// once no other change is under way and every member is linked.
void hand_over_next(member_self self) {
  auto& st = self->state.coordinator;
  if (st.busy || st.failover_pending || st.leave_queue.empty()
      || !cluster_linked(self))
    return;
  auto [name, rp] = std::move(st.leave_queue.front());
  st.leave_queue.pop_front();
  if (!is_leader(self)) {
    rp.deliver(make_error(errc::invalid_config,
                          "member " + self->state.opts.name
                            + " no longer leads: nothing was handed over"));
    return;
  }
  if (!st.deployed || st.dir.count_on(name) == 0
      || self->state.membership.members.count(name) == 0) {
    rp.deliver("no node of " + name + " to hand over");
    return;
  }
  hand_over_nodes(self, name, rp);
}

/// How long a member waits for the leader's answer to a forwarded change:
/// longer than the change's own steps (load 2 s, spawn and wire 2 min
/// each, re-wire 30 s), which fail by themselves.
constexpr auto forward_timeout = std::chrono::minutes(5);

/// Forwards an admin change to the leader (as this member sees it) and
/// relays its answer. Not `delegate`: with it the leader answered the
/// client's node directly, and a leader reached through a third member
/// (members learned from a join answer are reached through the member that
/// answered) routed that answer back through a member with no route to the
/// client, which dropped it: the change was made and shoalctl never heard.
/// Asked here, the leader answers this member over the path the request
/// took, and this member answers the client over its own connection. A
/// leader that does not consider itself leader forwards again, to a smaller
/// name, so forwarding ends.
template <class... Ts>
void forward_to_leader(member_self self, const char* what, Ts&&... xs) {
  auto rp = self->make_response_promise();
  auto& to = leader(self->state.membership).info;
  auto who = to.name + " (" + to.address + ")";
  std::string command = what;
  self->request(to.handle, forward_timeout, std::forward<Ts>(xs)...)
    .then(
      [=](std::string& summary) mutable {
        rp.deliver(std::move(summary));
      },
      [=](caf::error& err) mutable {
        if (err == caf::sec::request_timeout)
          rp.deliver(
            make_error(errc::io_error, "the leader " + who + " did not answer '"
                                         + command + "' within 5 min"));
        else
          rp.deliver(std::move(err));
      });
}

/// A deployment made by another member.
void learn_deployment(member_self self, graph_spec& g, directory& dir) {
  auto& st = self->state.coordinator;
  st.deployed = !dir.empty();
  self->send(self->state.monitor, deploy_atom_v, g, dir);
  st.graph = std::move(g);
  st.dir = std::move(dir);
  ++st.generation;
  // Another member deployed: no graph to restore from a checkpoint here.
  self->state.checkpoint.saved_graph.reset();
}

} // namespace

caf::message_handler coordinator_handlers(member_self self) {
  return {
    [=](left_atom) {
      // A member left `failover_settle` ago (coordinator_member_left).
      fail_over(self);
    },
    [=](apply_atom, graph_spec& g) -> caf::result<std::string> {
      auto& st = self->state.coordinator;
      // shoalctl refuses these before sending; another client might not.
      if (auto err = check_graph_size(g))
        return err;
      // Changes go through the leader, one at a time.
      if (!is_leader(self)) {
        forward_to_leader(self, "apply", apply_atom_v, std::move(g));
        return caf::delegated<std::string>{};
      }
      if (st.busy)
        return make_error(errc::invalid_config,
                          "another graph change is under way; try again");
      if (!st.deployed && self->state.checkpoint.saved_graph)
        return make_error(errc::invalid_config,
                          "the graph of checkpoint "
                            + std::to_string(self->state.checkpoint.meta.k)
                            + " is to be restored first; try again");
      if (st.deployed) {
        auto c = plan_apply(self->state, std::move(g));
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
      apply_graph(self, std::move(g), self->make_response_promise());
      return caf::delegated<std::string>{};
    },
    [=](plan_atom, apply_atom, graph_spec& g) -> caf::result<std::string> {
      // A dry run: the leader plans with the graph it runs, changes nothing.
      if (auto err = check_graph_size(g))
        return err;
      if (!is_leader(self)) {
        forward_to_leader(self, "diff", plan_atom_v, apply_atom_v,
                          std::move(g));
        return caf::delegated<std::string>{};
      }
      auto text = dry_run_apply(self->state, std::move(g));
      if (!text)
        return std::move(text.error());
      return std::move(*text);
    },
    [=](remove_atom, std::vector<std::string>& names,
        bool cascade) -> caf::result<std::string> {
      if (!is_leader(self)) {
        forward_to_leader(self, "remove", remove_atom_v, std::move(names),
                          cascade);
        return caf::delegated<std::string>{};
      }
      if (auto err = check_can_change(self->state.coordinator))
        return err;
      auto c = plan_remove(self->state, names, cascade);
      if (!c)
        return std::move(c.error());
      change_graph(self, std::move(*c), self->make_response_promise());
      return caf::delegated<std::string>{};
    },
    [=](deploy_atom, graph_spec& g, directory& dir) {
      learn_deployment(self, g, dir);
      on_new_deployment(self);
    },
    [=](leave_atom, std::string& name) -> caf::result<std::string> {
      if (!is_leader(self)) {
        forward_to_leader(self, "leave", leave_atom_v, std::move(name));
        return caf::delegated<std::string>{};
      }
      auto& st = self->state.coordinator;
      st.leaving.insert(name);
      st.leave_queue.emplace_back(std::move(name),
                                  self->make_response_promise());
      hand_over_next(self);
      return caf::delegated<std::string>{};
    },
  };
}

void coordinator_tick(member_self self) {
  fail_over(self);
  hand_over_next(self);
  rebalance_on_join(self);
}

void coordinator_member_joined(member_self self, const std::string& name,
                               bool answered) {
  auto& st = self->state.coordinator;
  st.rebalance_pending = true;
  // The newcomer learns the deployment whether or not re-balancing moves
  // nodes to it. From the member that answered its join, before the answer,
  // so that a newcomer that leads (the smallest name) does not take the
  // graph of its [cluster] for the first; and from the member that led
  // before it came, whose deployment is the latest (a change under way
  // there tells it again when it commits).
  auto& members = self->state.membership.members;
  auto before = members.begin();
  if (before != members.end() && before->first == name)
    ++before;
  bool led = before != members.end() && before->first == self->state.opts.name;
  if (!st.deployed || !(answered || led))
    return;
  auto i = members.find(name);
  if (i != members.end())
    self->send(i->second.info.handle, deploy_atom_v, st.graph, st.dir);
}

void coordinator_member_left(member_self self, const std::string& name) {
  self->state.coordinator.failover_pending = true;
  self->state.coordinator.leaving.erase(name);
  self->delayed_send(self, failover_settle, left_atom_v);
}

void begin_change(member_self self) {
  self->state.coordinator.busy = true;
  // A checkpoint's nodes must not change under it.
  abort_round(self, "a graph change began");
}

void commit_deployment(member_self self, graph_spec g, directory dir,
                       bool first) {
  auto& st = self->state.coordinator;
  st.graph = std::move(g);
  st.dir = std::move(dir);
  st.deployed = first || !st.dir.empty();
  ++st.generation;
  self->state.checkpoint.saved_graph.reset();
  if (first)
    st.rebalance_pending = false;
  // Every member learns the deployment: any can serve graph and replay.
  tell_others(self, "", deploy_atom_v, st.graph, st.dir);
  self->send(self->state.monitor, deploy_atom_v, st.graph, st.dir);
  on_new_deployment(self);
}

void end_change(member_self self) {
  self->state.coordinator.busy = false;
}

} // namespace shoal
