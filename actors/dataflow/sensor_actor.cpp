#include "actors/dataflow/sensor_actor.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "caf/all.hpp"

#include "actors/messages.hpp"
#include "runtime/core/metrics.hpp"
#include "runtime/functions/fn_state.hpp"

namespace shoal {

namespace {

using self_ptr = caf::stateful_actor<sensor_state>*;

void publish(self_ptr self) {
  auto& st = self->state;
  auto wm = st.core.out_wm();
  st.pub->flush(self, wm);
  auto wanted = st.pub->max_request();
  if (wanted > wm)
    st.core.ask_sources(self, wanted);
  if (wm == wm_end && !st.reported) {
    st.reported = true;
    if (st.monitor)
      self->send(st.monitor, report_atom_v, st.sensor, st.core.counts);
    // Nothing can follow end of stream: the actor is done.
    self->quit();
  }
}

/// Hands the sensor's state to its new actor once every source sends there.
void finish_move(self_ptr self) {
  auto& st = self->state;
  handover h;
  state_writer w;
  w.put(st.core.gate.last_ts());
  w.put(st.core.floor);
  h.state = std::move(w.bytes());
  st.pub->export_subscribers(h.subs, h.requested, h.sent);
  h.last = st.pub->last();
  h.samples = st.core.counts;
  for (auto& src : st.core.sources) {
    h.sources.push_back(src.handle);
    h.source_keys.push_back(src.key);
    h.source_index.push_back(src.index);
    h.source_wm.push_back(src.wm);
  }
  auto target = st.move->target;
  self->send(target, restore_atom_v, std::move(h));
  std::vector<caf::actor> subs;
  std::vector<int64_t> unused;
  st.pub->export_subscribers(subs, unused, unused);
  for (auto& sub : subs)
    self->send(sub, moved_atom_v, node_key(st.sensor), target);
  st.move->rp.deliver(caf::ok_atom_v);
  // Its host forgets it (the sensor runs elsewhere now).
  st.reported = true;
  if (st.monitor)
    self->send(st.monitor, report_atom_v, st.sensor, st.core.counts);
  self->quit();
}

/// Takes over the state of the sensor's previous actor.
void restore(self_ptr self, handover& h) {
  auto& s = self->state;
  state_reader r{h.state};
  auto last = r.get<int64_t>();
  auto floor = r.get<int64_t>();
  if (r.ok()) {
    if (last != wm_none)
      s.core.gate.admit(last);
    s.core.floor = floor;
  }
  s.core.counts = h.samples;
  for (size_t i = 0; i < h.sources.size(); ++i) {
    sensor_core::source src;
    src.handle = h.sources[i];
    src.key = i < h.source_keys.size() ? h.source_keys[i] : 0;
    src.index = i < h.source_index.size()
                  ? static_cast<uint32_t>(h.source_index[i])
                  : 0;
    src.wm = i < h.source_wm.size() ? h.source_wm[i] : wm_none;
    s.core.sources.push_back(std::move(src));
  }
  s.pub->adopt(h.subs, h.requested, h.sent, h.last, s.core.out_wm());
}

} // namespace

caf::behavior sensor_actor(self_ptr self, node_spec spec, caf::actor monitor,
                           std::shared_ptr<progress_tracker> tracker,
                           bool standby) {
  auto& st = self->state;
  st.sensor = spec.name;
  st.monitor = std::move(monitor);
  st.tracker = std::move(tracker);
  st.pub = std::make_unique<publisher>(node_key(spec.name), st.tracker.get());
  caf::behavior running{
    [=](attach_atom, caf::actor& src, uint64_t key, uint32_t index) {
      self->state.core.attach(std::move(src), key, index);
      return caf::ok_atom_v;
    },
    [=](detach_atom, uint64_t key, int64_t wm) {
      if (self->state.core.detach(key, wm))
        publish(self);
    },
    [=](batch& b) {
      auto& s = self->state;
      process_metrics().batch_received();
      s.core.accept(b, [&](point p) {
        s.pub->push(p);
      });
      publish(self);
      if (s.tracker && b.token != progress_tracker::no_token)
        s.tracker->release(0, b.token);
    },
    [=](need_atom, int64_t ts) {
      auto& s = self->state;
      auto wm = s.core.out_wm();
      s.pub->request(self, self->current_sender(), ts, wm);
      if (ts > wm)
        s.core.ask_sources(self, ts);
    },
    [=](caf::subscribe_atom, caf::actor& sub, uint32_t band, uint64_t) {
      auto& s = self->state;
      s.pub->add(self, std::move(sub), band);
      return caf::make_message(subscribed_atom_v, node_key(s.sensor),
                               s.pub->last(), s.core.out_wm());
    },
    [=](caf::unsubscribe_atom, const caf::actor& sub) {
      self->state.pub->remove(sub);
    },
    [=](stats_atom) {
      return self->state.core.counts;
    },
    [=](move_atom, caf::actor& target) {
      auto& s = self->state;
      std::vector<caf::actor> sources;
      for (auto& src : s.core.sources)
        sources.push_back(src.handle);
      auto rp = begin_move(self, s.move, std::move(target), std::move(sources));
      if (s.move->pending == 0)
        finish_move(self);
      return rp;
    },
    [=](restore_atom) {
      // See the standby behavior below.
    },
    [=](move_atom) {
      if (give_up_move(self->state.move, self->state.sensor, stderr_log()))
        finish_move(self);
    },
    [=](swap_atom, const caf::actor& from, caf::actor& to) {
      auto& s = self->state;
      s.pub->replace(from, std::move(to));
      self->send(from, swapped_atom_v, node_key(s.sensor));
    },
    [=](swapped_atom, uint64_t) {
      if (confirm_move(self->state.move))
        finish_move(self);
    },
  };
  if (!standby)
    return running;
  // Moving here: everything but the state waits in the mailbox.
  return standby_behavior(self, std::move(running), [=](handover& h) {
    restore(self, h);
  });
}

} // namespace shoal
