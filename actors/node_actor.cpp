#include "actors/node_actor.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "caf/all.hpp"

#include "actors/messages.hpp"
#include "actors/wiring.hpp"
#include "runtime/errc.hpp"
#include "runtime/fn_factory.hpp"
#include "runtime/metrics.hpp"
#include "runtime/node_fire.hpp"

namespace shoal {

namespace {

using self_ptr = caf::stateful_actor<node_state>*;

/// Asks every input still below `t` for a watermark of at least `t`: the
/// inputs that the band frontier covers through the tracker, the others edge
/// by edge.
void ask_inputs(self_ptr self, int64_t t) {
  auto& st = self->state;
  bool wait = false;
  for (size_t i = 0; i < st.inputs.size(); ++i) {
    if (st.join->input_wm(i) >= t)
      continue;
    if (st.covered[i]) {
      wait = true;
    } else if (st.asked[i] < t && st.inputs[i]) {
      st.asked[i] = t;
      self->send(st.inputs[i], need_atom_v, t);
    }
  }
  if (wait && t < st.waiting) {
    st.waiting = t;
    auto f = st.tracker->wait(st.band, t, caf::actor_cast<caf::actor>(self));
    if (f >= t)
      self->send(self, frontier_atom_v, st.band, f);
  }
}

/// Holds an item in the tracker for the firings still queued.
void update_hold(self_ptr self) {
  auto& st = self->state;
  if (!st.tracker)
    return;
  auto next = st.join->next_pending();
  auto token
    = next == wm_end ? progress_tracker::no_token : st.tracker->token_for(next);
  if (token == st.hold)
    return;
  // Count the new item before releasing the old one.
  if (token != progress_tracker::no_token)
    st.tracker->add(st.band, token);
  st.tracker->release(st.band, st.hold);
  st.hold = token;
}

/// Fires what is safe, publishes, and asks for what the node waits on.
void process(self_ptr self) {
  auto& st = self->state;
  fire_ready(*st.join, *st.fn, st.counts, [&](point p) {
    st.pub->push(p);
  });
  auto wm = st.join->out_wm();
  st.pub->flush(self, wm);
  update_hold(self);
  auto next = st.join->next_pending();
  if (next != wm_end && next > wm)
    ask_inputs(self, next);
  auto wanted = st.pub->max_request();
  if (wanted > wm)
    ask_inputs(self, wanted);
  if (wm == wm_end && !st.reported) {
    st.reported = true;
    if (st.monitor)
      self->send(st.monitor, report_atom_v, st.node, st.counts);
    // Nothing can follow end of stream: the actor is done.
    self->quit();
  }
}

/// Takes the points and watermark of batch `b` from an input.
void take(self_ptr self, const batch& b) {
  auto& s = self->state;
  process_metrics().batch_received();
  for (size_t i = 0; i < s.input_keys.size(); ++i)
    if (s.input_keys[i] == b.from)
      s.join->push(i, b.points.data(), b.points.size(), b.wm);
}

/// Releases `b` in the progress tracker once handled.
void release(self_ptr self, const batch& b) {
  auto& s = self->state;
  if (s.tracker && b.token != progress_tracker::no_token)
    s.tracker->release(s.band, b.token);
}

/// Sends the node's state to its new actor, tells the subscribers where it
/// went, and stops: every input's last batch for this actor was handled.
void finish_move(self_ptr self) {
  auto& st = self->state;
  handover h;
  state_writer w;
  st.join->save(w);
  std::string err;
  state_writer fw;
  if (st.fn->save(fw, err))
    w.put_string(fw.bytes());
  else
    h.cold = err.empty() ? "its function cannot move" : err;
  h.state = std::move(w.bytes());
  st.pub->export_subscribers(h.subs, h.requested, h.sent);
  h.last = st.pub->last();
  h.counts = st.counts;
  h.inputs = st.inputs;
  auto target = st.move->target;
  self->send(target, restore_atom_v, std::move(h));
  // After their last batch from here: they subscribe to the new actor.
  std::vector<caf::actor> subs;
  std::vector<int64_t> unused;
  st.pub->export_subscribers(subs, unused, unused);
  for (auto& sub : subs)
    self->send(sub, moved_atom_v, st.key, target);
  st.move->rp.deliver(caf::ok_atom_v);
  // Its host forgets it (the node runs elsewhere now).
  st.reported = true;
  if (st.monitor)
    self->send(st.monitor, report_atom_v, st.node, st.counts);
  self->quit();
}

/// Takes over the state of the node's previous actor.
void restore(self_ptr self, handover& h) {
  auto& st = self->state;
  state_reader r{h.state};
  std::string fn_state;
  bool ok = st.join->load(r);
  if (ok && h.cold.empty())
    fn_state = r.get_string();
  ok = ok && r.ok();
  std::string err = h.cold;
  if (ok && h.cold.empty()) {
    state_reader fr{fn_state};
    if (!st.fn->load(fr, err) || !fr.ok())
      ok = false;
  }
  if (!ok || !err.empty()) {
    // The function starts cold (its fresh state stays); the node says so.
    st.counts.last_error = "moved without its state: "
                           + (err.empty() ? std::string{"damaged state"} : err);
    std::fprintf(stderr, "shoal-node: node %s: %s\n", st.node.c_str(),
                 st.counts.last_error.c_str());
  }
  auto last_error = st.counts.last_error;
  st.counts = h.counts;
  if (!ok || !err.empty())
    st.counts.last_error = last_error;
  st.pub->adopt(h.subs, h.requested, h.sent, h.last, st.join->out_wm());
  if (h.inputs.size() == st.input_keys.size())
    st.inputs = std::move(h.inputs);
}

} // namespace

caf::behavior node_actor(self_ptr self, node_spec spec, caf::actor monitor,
                         node_band where) {
  auto& st = self->state;
  st.node = spec.name;
  st.monitor = std::move(monitor);
  st.key = node_key(spec.name);
  st.tracker = std::move(where.tracker);
  st.band = st.tracker ? where.band : progress_tracker::no_band;
  st.covered.assign(spec.needs.size(), false);
  if (st.tracker)
    for (size_t i = 0; i < spec.needs.size() && i < where.input_bands.size();
         ++i)
      st.covered[i] = where.input_bands[i] < st.band;
  st.pub = std::make_unique<publisher>(st.key, st.tracker.get());
  auto fn = make_fn(spec);
  if (!fn) {
    // The graph was validated before deployment; this only happens when a
    // resource vanished in between (e.g. a model file was deleted).
    self->quit(std::move(fn.error()));
    return {};
  }
  st.fn = std::move(*fn);
  std::vector<bool> triggers(spec.needs.size(), spec.trigger.empty());
  for (size_t i = 0; i < spec.needs.size(); ++i) {
    st.input_keys.push_back(node_key(spec.needs[i]));
    for (auto& t : spec.trigger)
      if (t == spec.needs[i])
        triggers[i] = true;
  }
  st.join = std::make_unique<join_core>(std::move(triggers));
  st.asked.assign(spec.needs.size(), wm_none);
  caf::behavior running{
    [=](batch& b) {
      take(self, b);
      process(self);
      release(self, b);
    },
    [=](std::vector<batch>& bs) {
      // Several inputs' batches from one cell (actors/cell_actor.hpp).
      for (auto& b : bs)
        take(self, b);
      process(self);
      for (auto& b : bs)
        release(self, b);
    },
    [=](frontier_atom, uint32_t, int64_t f) {
      auto& s = self->state;
      s.waiting = wm_end;
      for (size_t i = 0; i < s.covered.size(); ++i)
        if (s.covered[i])
          s.join->push(i, nullptr, 0, f);
      process(self);
    },
    [=](need_atom, int64_t ts) {
      auto& s = self->state;
      auto wm = s.join->out_wm();
      s.pub->request(self, self->current_sender(), ts, wm);
      if (ts > wm)
        ask_inputs(self, ts);
    },
    [=](wire_atom, std::vector<caf::actor>& inputs) {
      auto& s = self->state;
      s.inputs = inputs;
      return s.wiring.start(
        self, input_refs(std::move(inputs), s.input_keys, s.band));
    },
    [=](wire_atom, std::vector<caf::actor>& inputs, bool urgent) {
      auto& s = self->state;
      s.inputs = inputs;
      return s.wiring.start(
        self, input_refs(std::move(inputs), s.input_keys, s.band), urgent);
    },
    [=](rewire_atom, const std::vector<caf::actor>& olds,
        std::vector<caf::actor>& news) {
      auto& s = self->state;
      auto me = caf::actor_cast<caf::actor>(self);
      std::vector<input_ref> refs;
      for (size_t k = 0; k < olds.size() && k < news.size(); ++k) {
        for (size_t i = 0; i < s.inputs.size(); ++i) {
          if (s.inputs[i] != olds[k])
            continue;
          s.inputs[i] = news[k];
          // The new input has not been asked for anything yet.
          s.asked[i] = wm_none;
          refs.push_back(input_ref{news[k], s.input_keys[i], s.band});
        }
        // A dead input ignores this; a live one stops sending to us.
        self->send(olds[k], caf::unsubscribe_atom_v, me);
      }
      auto rp = s.wiring.start(self, std::move(refs), true);
      // Ask the new inputs for whatever we wait on.
      process(self);
      return rp;
    },
    [=](subscribed_atom, uint64_t key, point last, int64_t wm) {
      auto& s = self->state;
      for (size_t i = 0; i < s.input_keys.size(); ++i)
        if (s.input_keys[i] == key)
          s.join->seed(i, last, wm);
      s.wiring.confirm();
      // A subscription made while the graph runs may unblock a firing.
      process(self);
    },
    [=](caf::subscribe_atom, caf::actor& sub, uint32_t band, uint64_t) {
      auto& s = self->state;
      s.pub->add(self, std::move(sub), band);
      return caf::make_message(subscribed_atom_v, s.key, s.pub->last(),
                               s.join->out_wm());
    },
    [=](caf::unsubscribe_atom, const caf::actor& sub) {
      self->state.pub->remove(sub);
    },
    [=](stats_atom) {
      return self->state.counts;
    },
    [=](move_atom, caf::actor& target) {
      auto& s = self->state;
      auto rp = begin_move(self, s.move, std::move(target), s.inputs);
      if (s.move->pending == 0)
        finish_move(self);
      return rp;
    },
    [=](restore_atom) {
      // See the standby behavior below.
    },
    [=](move_atom) {
      if (give_up_move(self->state.move, self->state.node))
        finish_move(self);
    },
    [=](swap_atom, const caf::actor& from, caf::actor& to) {
      // A subscriber moves: the new actor gets our outputs from now on.
      auto& s = self->state;
      s.pub->flush(self, s.join->out_wm());
      s.pub->replace(from, std::move(to));
      self->send(from, swapped_atom_v, s.key);
    },
    [=](swapped_atom, uint64_t) {
      if (confirm_move(self->state.move))
        finish_move(self);
    },
    [=](moved_atom, uint64_t key, caf::actor& to) {
      // An input moved: its new actor holds our outputs until we subscribe.
      auto& s = self->state;
      for (size_t i = 0; i < s.input_keys.size() && i < s.inputs.size(); ++i)
        if (s.input_keys[i] == key) {
          s.inputs[i] = to;
          s.asked[i] = wm_none;
        }
      subscribe_to(self, to, key, s.band, true);
    },
  };
  if (!where.standby)
    return running;
  // A node moving here: everything but its state waits in the mailbox.
  self->set_default_handler(caf::skip);
  return {
    [=](restore_atom, handover& h) {
      restore(self, h);
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
