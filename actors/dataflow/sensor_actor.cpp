#include "actors/dataflow/sensor_actor.hpp"

#include <algorithm>
#include <limits>
#include <tuple>
#include <utility>
#include <vector>

#include "caf/all.hpp"

#include "actors/dataflow/backlog.hpp"
#include "actors/dataflow/checkpoint_marks.hpp"
#include "actors/dataflow/data_edge.hpp"
#include "actors/dataflow/move_protocol.hpp"
#include "actors/dataflow/pacing.hpp"
#include "actors/messages.hpp"
#include "runtime/core/metrics.hpp"
#include "runtime/functions/fn_state.hpp"

namespace shoal {

namespace {

using self_ptr = caf::stateful_actor<sensor_state>*;

/// The sensor's own state: its gate, floor and counters.
handover sensor_state_of(const sensor_core& core) {
  handover h;
  state_writer w;
  w.put(core.gate.last_ts());
  w.put(core.floor);
  h.state = std::move(w.bytes());
  h.samples = core.counts;
  return h;
}

/// The checkpoint round the sensor can take its part of now, or 0
/// (actors/dataflow/checkpoint_marks.hpp): the one every attached source
/// that marks marked, or without such a source the one its host asked for.
/// A replay's mark on its data is the sensor's cue, so that the part is
/// taken in the step that handles the data, whether or not the host's
/// question came first.
uint64_t due_round(const sensor_state& st) {
  auto k = std::numeric_limits<uint64_t>::max();
  for (auto& src : st.core.sources)
    if (src.marks)
      k = std::min(k, src.mark);
  if (k == std::numeric_limits<uint64_t>::max())
    k = st.asked;
  return k > st.marks.taken ? k : 0;
}

/// Takes the sensor's part of a round that is due, if one is, and
/// publishes its accepted samples, its watermark and the mark.
void publish(self_ptr self) {
  auto& st = self->state;
  auto wm = st.core.out_wm();
  auto k = due_round(st);
  if (k != 0)
    put_part(self, st.monitor, st.env.board.get(), st.marks, k, st.sensor,
             *st.pub, [&] {
               return sensor_state_of(st.core);
             });
  sensor_step(self, *st.pub, st.core, wm, nullptr, k);
  if (wm == wm_end)
    end_stream(self, st.reported, [&] {
      report_to(self, st.monitor, st.sensor, st.core.counts);
    });
}

/// Source `key` marked a round the sensor has not taken its part of: what
/// it sends now waits until the sensor did (checkpoint_marks.hpp).
bool holds(const sensor_state& st, uint64_t key) {
  for (auto& src : st.core.sources)
    if (src.key == key)
      return src.marks && src.mark > st.marks.taken;
  return false;
}

/// Admits the samples of batch `b` from a source and notes its mark.
void take(sensor_state& s, const batch& b) {
  // A mark alone (no samples, the same watermark) changes nothing since
  // the sensor's last part.
  if (!b.points.empty() || b.wm > s.core.out_wm())
    s.marks.dirty = true;
  s.core.accept(b, [&](point p) {
    s.pub->push(p);
  });
  if (b.mark != 0)
    for (auto& src : s.core.sources)
      if (src.key == b.from && src.mark < b.mark)
        src.mark = b.mark;
}

/// Handles, in arrival order, what sources sent after their marks of
/// rounds the sensor has taken its part of (or given up) since
/// (checkpoint_marks.hpp, `release_held`).
void release(self_ptr self) {
  auto& st = self->state;
  release_held(
    st.held, st.marks,
    [&](const sensor_state::held_input& x) {
      return holds(st, x.b.from);
    },
    [&](const sensor_state::held_input& x) {
      if (!x.detach)
        take(st, x.b);
      else if (st.core.detach(x.b.from, x.b.wm))
        st.marks.dirty = true;
    },
    [&] {
      if (st.env.counts)
        st.env.counts->publish(st.core.counts);
      publish(self);
    },
    // Released once what they caused is counted (as in the batch handler).
    [&](const sensor_state::held_input& x) {
      if (!x.detach)
        release_batch(st.tracker.get(), 0, x.b);
    });
}

/// Round `k` ended without this sensor's part, or the sensor moves: nothing
/// waits for it any more.
void give_up_round(self_ptr self, uint64_t k) {
  if (self->state.marks.give_up(k))
    release(self);
}

/// Hands the sensor's state to its new actor once every source sends there.
void finish_move(self_ptr self) {
  auto& st = self->state;
  // A move ends any round under way: what sources sent after their marks
  // goes into the state that moves.
  uint64_t newest = 0;
  for (auto& src : st.core.sources)
    if (src.marks)
      newest = std::max(newest, src.mark);
  give_up_round(self, newest);
  auto h = sensor_state_of(st.core);
  for (auto& src : st.core.sources) {
    h.sources.push_back(src.handle);
    h.source_keys.push_back(src.key);
    h.source_index.push_back(src.index);
    h.source_wm.push_back(src.wm);
  }
  hand_over(self, *st.move, *st.pub, std::move(h));
  // Its host forgets it (the sensor runs elsewhere now).
  end_stream(self, st.reported, [&] {
    report_to(self, st.monitor, st.sensor, st.core.counts);
  });
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
  s.core.counts.live_base = h.samples.live;
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
  // Counted where the sensor ran before, not here.
  if (s.env.counts)
    s.env.counts->arrive(s.core.counts);
}

} // namespace

caf::behavior sensor_actor(self_ptr self, node_spec spec, caf::actor monitor,
                           std::shared_ptr<progress_tracker> tracker,
                           bool standby, actor_env env) {
  auto& st = self->state;
  st.sensor = spec.name;
  st.monitor = std::move(monitor);
  st.tracker = std::move(tracker);
  st.env = env;
  st.core.live = env.live;
  st.pub = std::make_unique<publisher>(node_key(spec.name), st.tracker.get(),
                                       env.live);
  auto moving = move_handlers(
    self, env.log,
    [=] {
      return self->state.sensor;
    },
    [=] {
      std::vector<caf::actor> sources;
      for (auto& src : self->state.core.sources)
        sources.push_back(src.handle);
      return sources;
    },
    [=] {
      finish_move(self);
    });
  auto running = std::apply(
    [=](auto... move_handler) {
      return caf::behavior{
        [=](attach_atom, caf::actor& src, uint64_t key, uint32_t index) {
          self->state.core.attach(std::move(src), key, index);
          return caf::ok_atom_v;
        },
        [=](attach_atom, caf::actor& src, uint64_t key, uint32_t index,
            bool marks) {
          self->state.core.attach(std::move(src), key, index, marks);
          return caf::ok_atom_v;
        },
        [=](detach_atom, uint64_t key, int64_t wm) {
          auto& s = self->state;
          if (holds(s, key)) {
            s.held.push_back({batch{key, {}, wm}, true});
            return;
          }
          if (s.core.detach(key, wm)) {
            s.marks.dirty = true;
            auto before = s.marks.taken;
            publish(self);
            if (s.marks.taken != before)
              release(self);
          }
        },
        [=](ckpt_atom, uint64_t k) {
          auto& s = self->state;
          s.asked = std::max(s.asked, k);
          if (due_round(s) != 0)
            publish(self);
        },
        [=](ckpt_atom, done_atom, uint64_t k) {
          // Round k ended uncommitted (actors/cluster/checkpointer.hpp).
          give_up_round(self, k);
        },
        [=](batch& b) {
          auto& s = self->state;
          if (sent_from_here(self))
            s.env.live->batch_received(b.points.empty() && b.mark != 0);
          if (holds(s, b.from)) {
            s.held.push_back({std::move(b), false});
            return;
          }
          take(s, b);
          if (s.env.counts)
            s.env.counts->publish(s.core.counts);
          auto before = s.marks.taken;
          publish(self);
          release_batch(s.tracker.get(), 0, b);
          if (s.marks.taken != before)
            release(self);
        },
        [=](need_atom, int64_t ts) {
          auto& s = self->state;
          answer_need(self, *s.pub, ts, s.core.out_wm(), [&](int64_t t) {
            s.core.ask_sources(self, t);
          });
        },
        [=](caf::subscribe_atom, caf::actor& sub, uint32_t band, uint64_t) {
          auto& s = self->state;
          catch_up_mark(self, sub, s.marks, s.pub->key());
          return subscribe_reply(self, *s.pub, std::move(sub), band,
                                 s.core.out_wm());
        },
        [=](caf::unsubscribe_atom, const caf::actor& sub) {
          self->state.pub->remove(sub);
        },
        [=](stats_atom) {
          return self->state.core.counts;
        },
        [=](pace_atom, int64_t most) {
          auto& s = self->state;
          return pace_request(self, s.pace, *s.env.live, most);
        },
        [=](pace_atom) {
          auto& s = self->state;
          pace_poll(self, s.pace, *s.env.live);
        },
        [=](swap_atom, const caf::actor& from, caf::actor& to) {
          swap_subscriber(self, *self->state.pub, from, std::move(to));
        },
        move_handler...,
      };
    },
    std::move(moving));
  if (!standby)
    return running;
  // Moving here: everything but the state waits in the mailbox.
  return standby_behavior(self, std::move(running), [=](handover& h) {
    restore(self, h);
  });
}

} // namespace shoal
