#include "actors/cluster/member_actor.hpp"

#include "caf/all.hpp"

#include "actors/cluster/checkpoint_keeper.hpp"
#include "actors/cluster/graph_host.hpp"
#include "actors/cluster/member_tail.hpp"
#include "actors/cluster/replay_resume.hpp"

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
  abort_round(self, "member " + name + " left");
  // Its nodes are placed again (by the leader, `failover_settle` later);
  // a replay would miss what they lost.
  coordinator_member_left(self, name);
  if (lost_nothing)
    return;
  // With a committed checkpoint the leader restores every node from it,
  // and the replay goes on from there (actors/cluster/replay_resume.hpp).
  if (replay_await_restore(self))
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
  caf::actor keeper;
  st.checkpoint.member_started = std::chrono::steady_clock::now();
  if (st.opts.store && st.opts.checkpoint_interval.count() > 0) {
    // Its own thread: a write waits for the disk.
    keeper = self->spawn<caf::linked + caf::detached>(checkpoint_keeper,
                                                      st.opts.store);
    // A restarted member goes on after the round its store committed.
    if (auto& c = st.opts.store->committed())
      load_committed(self, c->first, c->second);
  }
  st.host = self->spawn<caf::linked>(graph_host, st.opts.name, keeper);
  start_membership(self);
  start_checkpoints(self);
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
    .or_else(checkpoint_handlers(self))
    .or_else(tail_handlers(self))
    .or_else(status_handlers(self))
    .or_else(heartbeat);
}

} // namespace shoal
