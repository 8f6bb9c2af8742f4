#include "actors/dataflow/node_actor.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

#include "caf/all.hpp"

#include "actors/dataflow/backlog.hpp"
#include "actors/dataflow/checkpoint_marks.hpp"
#include "actors/dataflow/data_edge.hpp"
#include "actors/dataflow/move_protocol.hpp"
#include "actors/dataflow/wiring.hpp"
#include "actors/messages.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/log_sink.hpp"
#include "runtime/core/metrics.hpp"

namespace shoal {

namespace {

using self_ptr = caf::stateful_actor<node_state>*;

/// Asks every input still below `t` for a watermark of at least `t`: the
/// inputs that the band frontier covers through the tracker, the others edge
/// by edge.
void ask(self_ptr self, int64_t t) {
  auto& st = self->state;
  // Until it is wired (or restored) the node knows none of its inputs.
  if (st.inputs.size() < st.core->inputs.size())
    return;
  ask_inputs(self, *st.core, t, [&](size_t i, int64_t ts) {
    if (!st.inputs[i])
      return false;
    self->send(st.inputs[i], need_atom_v, ts);
    return true;
  });
}

/// Pairs the node's inputs `xs` (in `needs` order) with their keys.
std::vector<input_ref> refs_of(const node_core& c, std::vector<caf::actor> xs) {
  std::vector<uint64_t> keys;
  for (auto& in : c.inputs)
    keys.push_back(in.key);
  return input_refs(std::move(xs), keys, c.band);
}

/// Input `key` marked checkpoint round `k`.
void note_mark(node_state& st, uint64_t k, uint64_t key) {
  auto& c = *st.core;
  for (size_t i = 0; i < c.inputs.size(); ++i)
    if (c.inputs[i].key == key && st.marks.seen[i] < k)
      st.marks.seen[i] = k;
}

/// Counts batch `b`, which just arrived, in the backlog.
void arrived(self_ptr self, const batch& b) {
  if (sent_from_here(self))
    self->state.core->live->batch_received(b.points.empty() && b.mark != 0);
}

/// Input `key` marked a round the node has not taken its part of: what it
/// sends now waits in `held` until the node did (checkpoint_marks.hpp).
bool holds(const node_state& st, uint64_t key) {
  auto& c = *st.core;
  for (size_t i = 0; i < c.inputs.size(); ++i)
    if (c.inputs[i].key == key && st.marks.seen[i] > st.marks.taken)
      return true;
  return false;
}

/// Takes the points, watermark and mark of batch `b` from an input.
/// Returns whether that changed anything but the marks (a mark alone does
/// not make a node's state change since its last part).
bool take(self_ptr self, const batch& b) {
  auto& c = *self->state.core;
  bool changed = false;
  for (size_t i = 0; i < c.inputs.size(); ++i)
    if (c.inputs[i].key == b.from) {
      changed = changed || !b.points.empty() || b.wm > c.join.input_wm(i);
      c.join.push(i, b.points.data(), b.points.size(), b.wm);
    }
  if (b.mark != 0)
    note_mark(self->state, b.mark, b.from);
  return changed;
}

/// The node's own state: its join, its function's state and its counters.
handover node_state_of(const node_core& c) {
  handover h;
  state_writer w;
  c.join.save(w);
  std::string err;
  state_writer fw;
  if (c.fn->save(fw, err))
    w.put_string(fw.bytes());
  else
    h.cold = err.empty() ? "its function cannot move" : err;
  h.state = std::move(w.bytes());
  h.counts = c.counts;
  return h;
}

/// Takes the node's part of the checkpoint round its inputs all marked,
/// if there is one (actors/dataflow/checkpoint_marks.hpp), and returns it
/// (or 0): the caller's flush passes the mark on.
uint64_t part(self_ptr self) {
  auto& st = self->state;
  auto& c = *st.core;
  auto k = st.marks.ready();
  if (k == 0)
    return 0;
  put_part(self, st.monitor, st.board.get(), st.marks, k, c.name, c.pub, [&] {
    auto h = node_state_of(c);
    if (!h.cold.empty() && !st.cold_counted) {
      // A Lua `state` holding a function or userdata: once per node.
      st.cold_counted = true;
      ++c.counts.errors;
      c.counts.last_error
        = "checkpoint without its function's state: " + h.cold;
      h.counts = c.counts;
      if (st.counts_out)
        st.counts_out->publish(c.counts);
    }
    return h;
  });
  return k;
}

/// Fires what is safe, takes the node's part of a round its inputs all
/// marked, publishes (the mark on the outputs), and asks for what the node
/// waits on. `changed`: something reached the node since its last step
/// (not only marks), so its state may differ from its last part.
void process(self_ptr self, bool changed = true) {
  auto& st = self->state;
  auto& c = *st.core;
  if (changed)
    st.marks.dirty = true;
  auto wm = node_step(
    self, c, nullptr, [](point) {},
    [&](int64_t t) {
      ask(self, t);
    },
    [&] {
      return part(self);
    });
  if (st.counts_out)
    st.counts_out->publish(c.counts);
  if (wm == wm_end)
    end_stream(self, st.reported, [&] {
      report_to(self, st.monitor, c.name, c.counts);
    });
}

/// Takes the node's part of a round its inputs all marked, if there is
/// one, and passes the mark on.
void check_marks(self_ptr self) {
  auto& c = *self->state.core;
  if (auto k = part(self))
    c.pub.flush(self, c.join.out_wm(), nullptr, k);
}

/// Handles, in arrival order, what inputs sent after their marks of rounds
/// the node has taken its part of (or given up) since
/// (checkpoint_marks.hpp, `release_held`).
void release(self_ptr self) {
  auto& st = self->state;
  bool changed = false;
  release_held(
    st.held, st.marks,
    [&](const batch& b) {
      return holds(st, b.from);
    },
    [&](const batch& b) {
      changed = take(self, b) || changed;
    },
    [&] {
      process(self, changed);
      changed = false;
    },
    [&](const batch& b) {
      release_batch(st.tracker.get(), st.core->band, b);
    });
}

/// Round `k` ended without this node's part, or the node moves: nothing
/// waits for it any more.
void give_up_round(self_ptr self, uint64_t k) {
  if (self->state.marks.give_up(k))
    release(self);
}

/// Sends the node's state to its new actor, tells the subscribers where it
/// went, and stops: every input's last batch for this actor was handled.
void finish_move(self_ptr self) {
  auto& st = self->state;
  // A move ends any round under way: what inputs sent after their marks
  // goes into the state that moves.
  if (!st.marks.seen.empty())
    give_up_round(
      self, *std::max_element(st.marks.seen.begin(), st.marks.seen.end()));
  auto& c = *st.core;
  auto h = node_state_of(c);
  h.inputs = st.inputs;
  hand_over(self, *st.move, c.pub, std::move(h));
  // Its host forgets it (the node runs elsewhere now).
  end_stream(self, st.reported, [&] {
    report_to(self, st.monitor, c.name, c.counts);
  });
}

/// Takes over the state of the node's previous actor.
void restore(self_ptr self, handover& h) {
  auto& st = self->state;
  auto& c = *st.core;
  state_reader r{h.state};
  std::string fn_state;
  bool ok = c.join.load(r);
  if (ok && h.cold.empty())
    fn_state = r.get_string();
  ok = ok && r.ok();
  std::string err = h.cold;
  if (ok && h.cold.empty()) {
    state_reader fr{fn_state};
    if (!c.fn->load(fr, err) || !fr.ok())
      ok = false;
  }
  if (!ok || !err.empty()) {
    // The function starts cold (its fresh state stays); the node says so.
    c.counts.last_error = "moved without its state: "
                          + (err.empty() ? std::string{"damaged state"} : err);
    logf(*self->state.log, log_level::warning,
         {{"event", "moved_cold"},
          {"node", c.name},
          {"error", c.counts.last_error}},
         "shoal-node: node %s: %s", c.name.c_str(),
         c.counts.last_error.c_str());
  }
  auto last_error = c.counts.last_error;
  c.counts = h.counts;
  if (!ok || !err.empty())
    c.counts.last_error = last_error;
  c.pub.adopt(h.subs, h.requested, h.sent, h.last, c.join.out_wm());
  if (h.inputs.size() == c.inputs.size())
    st.inputs = std::move(h.inputs);
  // Counted where the node ran before, not here.
  if (st.counts_out)
    st.counts_out->arrive(c.counts);
}

} // namespace

caf::behavior node_actor(self_ptr self, node_spec spec, caf::actor monitor,
                         node_band where) {
  auto& st = self->state;
  st.monitor = std::move(monitor);
  st.tracker = std::move(where.tracker);
  st.log = where.env.log;
  st.counts_out = where.env.counts;
  st.board = where.env.board;
  auto core
    = node_core::make(spec, st.tracker.get(), where.band,
                      st.tracker ? where.input_bands : std::vector<uint32_t>{},
                      where.fns, where.env.live);
  if (!core) {
    // The graph was validated before deployment; this only happens when a
    // resource vanished in between (e.g. a model file was deleted).
    self->quit(std::move(core.error()));
    return {};
  }
  st.core = std::make_unique<node_core>(std::move(*core));
  st.marks.seen.assign(st.core->inputs.size(), 0);
  auto moving = move_handlers(
    self, st.log,
    [=] {
      return self->state.core->name;
    },
    [=] {
      return self->state.inputs;
    },
    [=] {
      finish_move(self);
    });
  auto running = std::apply(
    [=](auto... move_handler) {
      return caf::behavior{
        [=](batch& b) {
          auto& s = self->state;
          arrived(self, b);
          if (holds(s, b.from)) {
            s.held.push_back(std::move(b));
            return;
          }
          auto before = s.marks.taken;
          process(self, take(self, b));
          release_batch(s.tracker.get(), s.core->band, b);
          if (s.marks.taken != before)
            release(self);
        },
        [=](std::vector<batch>& bs) {
          // Several inputs' batches from one cell
          // (actors/dataflow/cell_actor.hpp).
          auto& s = self->state;
          bool changed = false;
          std::vector<const batch*> taken;
          for (auto& b : bs) {
            arrived(self, b);
            if (holds(s, b.from)) {
              s.held.push_back(std::move(b));
              continue;
            }
            changed = take(self, b) || changed;
            taken.push_back(&b);
          }
          auto before = s.marks.taken;
          process(self, changed);
          for (auto* b : taken)
            release_batch(s.tracker.get(), s.core->band, *b);
          if (s.marks.taken != before)
            release(self);
        },
        [=](mark_atom, uint64_t k, uint64_t key) {
          // A mark alone: an input caught this node up on a round
          // (checkpoint_marks.hpp, catch_up_mark).
          auto& s = self->state;
          if (holds(s, key)) {
            batch m{key, {}, wm_none};
            m.mark = k;
            s.held.push_back(std::move(m));
            return;
          }
          note_mark(s, k, key);
          auto before = s.marks.taken;
          check_marks(self);
          if (s.marks.taken != before)
            release(self);
        },
        [=](ckpt_atom, done_atom, uint64_t k) {
          // Round k ended uncommitted (actors/cluster/checkpointer.hpp).
          give_up_round(self, k);
        },
        [=](frontier_atom, uint32_t, int64_t f) {
          self->state.core->frontier(f);
          process(self);
        },
        [=](need_atom, int64_t ts) {
          auto& c = *self->state.core;
          answer_need(self, c.pub, ts, c.join.out_wm(), [&](int64_t t) {
            ask(self, t);
          });
        },
        [=](wire_atom, std::vector<caf::actor>& inputs) {
          auto& s = self->state;
          s.inputs = inputs;
          return s.wiring.start(self, refs_of(*s.core, std::move(inputs)));
        },
        [=](wire_atom, std::vector<caf::actor>& inputs, bool urgent) {
          auto& s = self->state;
          s.inputs = inputs;
          return s.wiring.start(self, refs_of(*s.core, std::move(inputs)),
                                urgent);
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
              auto& in = s.core->inputs[i];
              in.asked = wm_none;
              refs.push_back(input_ref{news[k], in.key, s.core->band});
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
          auto& c = *s.core;
          for (size_t i = 0; i < c.inputs.size(); ++i)
            if (c.inputs[i].key == key)
              c.join.seed(i, last, wm);
          s.marks.dirty = true;
          s.wiring.confirm();
          // A subscription made while the graph runs may unblock a firing.
          process(self);
        },
        [=](caf::subscribe_atom, caf::actor& sub, uint32_t band, uint64_t) {
          auto& s = self->state;
          auto& c = *s.core;
          catch_up_mark(self, sub, s.marks, c.pub.key());
          return subscribe_reply(self, c.pub, std::move(sub), band,
                                 c.join.out_wm());
        },
        [=](caf::unsubscribe_atom, const caf::actor& sub) {
          self->state.core->pub.remove(sub);
        },
        [=](stats_atom) {
          return self->state.core->counts;
        },
        [=](swap_atom, const caf::actor& from, caf::actor& to) {
          // A subscriber moves: the new actor gets our outputs from now on.
          auto& c = *self->state.core;
          c.pub.flush(self, c.join.out_wm());
          swap_subscriber(self, c.pub, from, std::move(to));
        },
        [=](moved_atom, uint64_t key, caf::actor& to) {
          // An input moved: its new actor holds our outputs until we subscribe.
          auto& s = self->state;
          auto& c = *s.core;
          for (size_t i = 0; i < c.inputs.size() && i < s.inputs.size(); ++i)
            if (c.inputs[i].key == key) {
              s.inputs[i] = to;
              c.inputs[i].asked = wm_none;
            }
          subscribe_to(self, to, key, c.band, true);
        },
        move_handler...,
      };
    },
    std::move(moving));
  if (!where.standby)
    return running;
  // A node moving here: everything but its state waits in the mailbox.
  return standby_behavior(self, std::move(running), [=](handover& h) {
    restore(self, h);
  });
}

} // namespace shoal
