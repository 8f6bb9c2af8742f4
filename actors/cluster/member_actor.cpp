#include "actors/cluster/member_actor.hpp"

#include "caf/all.hpp"

#include "actors/cluster/graph_host.hpp"
#include "actors/cluster/member_tail.hpp"

namespace shoal {

void on_member_joined(member_self self, const std::string& name,
                      bool answered) {
  // It learns the deployment; nodes move to it (by the leader, on its next
  // heartbeat).
  coordinator_member_joined(self, name, answered);
}

void on_member_left(member_self self, const std::string& name,
                    const std::string& reason) {
  // A planned leave that handed every node over loses nothing: a replay
  // under way goes on (its sink follows the moved nodes).
  bool lost_nothing = reason == planned_leave
                      && self->state.coordinator.dir.count_on(name) == 0;
  status_member_left(self, name);
  // Its nodes are placed again (by the leader, on its next tick); a replay
  // would miss what they lost.
  coordinator_member_left(self, name);
  if (lost_nothing)
    return;
  fail_replay(self, "member " + name + " left during the replay (" + reason
                      + "): its nodes restart cold, so the outputs would be "
                        "incomplete");
}

void on_other_down(member_self self, const caf::actor_addr& who) {
  replay_client_down(self, who);
}

void on_new_deployment(member_self self) {
  sync_replay_sink(self);
}

caf::behavior member_actor(member_self self, member_options opts,
                           caf::actor monitor) {
  auto& st = self->state;
  st.opts = std::move(opts);
  st.monitor = std::move(monitor);
  st.host = self->spawn<caf::linked>(graph_host);
  start_membership(self);
  self->send(self, caf::tick_atom_v);
  caf::message_handler heartbeat{
    [=](caf::tick_atom) {
      // A member that has left watches nobody and leads nothing.
      if (self->state.membership.left)
        return;
      membership_tick(self);
      coordinator_tick(self);
      self->delayed_send<caf::message_priority::high>(
        self, self->state.opts.heartbeat, caf::tick_atom_v);
    },
  };
  return membership_handlers(self)
    .or_else(link_handlers(self))
    .or_else(coordinator_handlers(self))
    .or_else(replay_handlers(self))
    .or_else(tail_handlers(self))
    .or_else(status_handlers(self))
    .or_else(heartbeat);
}

} // namespace shoal
