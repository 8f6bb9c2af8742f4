#include "actors/sensor_actor.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "caf/all.hpp"

#include "actors/messages.hpp"
#include "runtime/fn_state.hpp"
#include "runtime/metrics.hpp"

namespace shoal {

namespace {

using self_ptr = caf::stateful_actor<sensor_state>*;

int64_t out_wm(const sensor_state& st) {
  int64_t wm = st.sources.empty() ? wm_none : wm_end;
  for (auto& s : st.sources)
    if (s.wm < wm)
      wm = s.wm;
  wm = std::max(wm, st.floor);
  return wm > st.gate.last_ts() ? wm : st.gate.last_ts();
}

void ask_sources(self_ptr self, int64_t t) {
  for (auto& s : self->state.sources) {
    if (s.wm < t && s.asked < t) {
      s.asked = t;
      self->send(s.handle, need_atom_v, t, s.index);
    }
  }
}

void publish(self_ptr self) {
  auto& st = self->state;
  auto wm = out_wm(st);
  st.pub->flush(self, wm);
  auto wanted = st.pub->max_request();
  if (wanted > wm)
    ask_sources(self, wanted);
  if (wm == wm_end && !st.reported) {
    st.reported = true;
    if (st.monitor)
      self->send(st.monitor, report_atom_v, st.sensor, st.counts);
    // Nothing can follow end of stream: the actor is done.
    self->quit();
  }
}

/// Hands the sensor's state to its new actor once every source sends there.
void finish_move(self_ptr self) {
  auto& st = self->state;
  handover h;
  state_writer w;
  w.put(st.gate.last_ts());
  w.put(st.floor);
  h.state = std::move(w.bytes());
  st.pub->export_subscribers(h.subs, h.requested, h.sent);
  h.last = st.pub->last();
  h.samples = st.counts;
  for (auto& src : st.sources) {
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
    self->send(st.monitor, report_atom_v, st.sensor, st.counts);
  self->quit();
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
      auto& s = self->state;
      for (auto& x : s.sources) {
        if (x.key == key) {
          // Attached again (a source re-bound to a changed graph).
          x.handle = std::move(src);
          x.index = index;
          x.asked = wm_none;
          return caf::ok_atom_v;
        }
      }
      s.sources.push_back({std::move(src), key, index});
      return caf::ok_atom_v;
    },
    [=](detach_atom, uint64_t key, int64_t wm) {
      auto& s = self->state;
      auto i = std::find_if(s.sources.begin(), s.sources.end(),
                            [&](const sensor_state::source& x) {
                              return x.key == key;
                            });
      if (i == s.sources.end())
        return;
      s.floor = std::max({s.floor, i->wm, wm});
      s.sources.erase(i);
      publish(self);
    },
    [=](batch& b) {
      auto& s = self->state;
      process_metrics().batch_received();
      for (auto& src : s.sources) {
        if (src.key != b.from)
          continue;
        uint64_t accepted = 0;
        uint64_t late = 0;
        for (auto& p : b.points) {
          if (p.ts <= s.floor) {
            // Behind what a detached source promised for this sensor.
            ++late;
          } else if (s.gate.admit(p.ts)) {
            ++accepted;
            s.pub->push(p);
          }
        }
        auto out_of_order = b.points.size() - accepted - late;
        s.counts.accepted += accepted;
        s.counts[reject_reason::late] += late;
        s.counts[reject_reason::out_of_order] += out_of_order;
        process_metrics().add_samples(accepted, late + out_of_order);
        if (b.wm > src.wm)
          src.wm = b.wm;
        break;
      }
      publish(self);
      if (s.tracker && b.token != progress_tracker::no_token)
        s.tracker->release(0, b.token);
    },
    [=](need_atom, int64_t ts) {
      auto& s = self->state;
      auto wm = out_wm(s);
      s.pub->request(self, self->current_sender(), ts, wm);
      if (ts > wm)
        ask_sources(self, ts);
    },
    [=](caf::subscribe_atom, caf::actor& sub, uint32_t band) {
      auto& s = self->state;
      s.pub->add(self, std::move(sub), band);
      return caf::make_message(subscribed_atom_v, node_key(s.sensor),
                               s.pub->last(), out_wm(s));
    },
    [=](caf::unsubscribe_atom, const caf::actor& sub) {
      self->state.pub->remove(sub);
    },
    [=](stats_atom) {
      return self->state.counts;
    },
    [=](move_atom, caf::actor& target) {
      auto& s = self->state;
      std::vector<caf::actor> sources;
      for (auto& src : s.sources)
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
      if (give_up_move(self->state.move, self->state.sensor))
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
  self->set_default_handler(caf::skip);
  return {
    [=](restore_atom, handover& h) {
      auto& s = self->state;
      state_reader r{h.state};
      auto last = r.get<int64_t>();
      auto floor = r.get<int64_t>();
      if (r.ok()) {
        if (last != wm_none)
          s.gate.admit(last);
        s.floor = floor;
      }
      s.counts = h.samples;
      for (size_t i = 0; i < h.sources.size(); ++i) {
        sensor_state::source src;
        src.handle = h.sources[i];
        src.key = i < h.source_keys.size() ? h.source_keys[i] : 0;
        src.index = i < h.source_index.size()
                      ? static_cast<uint32_t>(h.source_index[i])
                      : 0;
        src.wm = i < h.source_wm.size() ? h.source_wm[i] : wm_none;
        s.sources.push_back(std::move(src));
      }
      s.pub->adopt(h.subs, h.requested, h.sent, h.last, out_wm(s));
      self->set_default_handler(caf::print_and_drop);
      self->become(running);
      // CAF keeps skipped messages in a cache per queue and retries one
      // only after handling a message from the same queue: a high-priority
      // note to ourselves releases the skipped high-priority ones (the
      // subscriptions of moved subscribers).
      self->send<caf::message_priority::high>(self, restore_atom_v);
    },
  };
}

} // namespace shoal
