#include "actors/dataflow/sink_actor.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "caf/all.hpp"

#include "actors/dataflow/backlog.hpp"
#include "actors/dataflow/progress.hpp"
#include "actors/dataflow/wiring.hpp"
#include "actors/messages.hpp"
#include "runtime/core/metrics.hpp"

namespace shoal {

namespace {

using self_ptr = caf::stateful_actor<sink_state>*;

void finish(self_ptr self) {
  auto& st = self->state;
  if (st.finished)
    return;
  st.finished = true;
  if (st.until != wm_end) {
    // The graph runs on: stop its nodes sending here.
    auto me = caf::actor_cast<caf::actor>(self);
    for (auto& kvp : st.inputs)
      if (kvp.second.handle)
        self->send(kvp.second.handle, caf::unsubscribe_atom_v, me);
  }
  auto err = st.out->flush();
  if (st.monitor)
    self->send(st.monitor, done_atom_v, st.outputs, std::move(err));
  self->quit();
}

/// Whether input `in` sent everything the sink waits for.
bool complete(const sink_state& st, const sink_state::input& in) {
  return in.done || (st.until != wm_end && in.wm >= st.until);
}

/// Counts the inputs not complete yet and finishes if there are none; a
/// batch then counts down (`take`), so that the last inputs to end do not
/// each scan every input.
void check_complete(self_ptr self) {
  auto& st = self->state;
  st.behind = 0;
  for (auto& kvp : st.inputs)
    if (!complete(st, kvp.second))
      ++st.behind;
  if (st.behind == 0)
    finish(self);
}

/// An input that was not done and had marked at most round `st.marked`
/// stops holding the next round back (it marked a later one, ended or
/// left).
void release_hold(sink_state& st, const sink_state::input& in) {
  if (!in.done && in.mark <= st.marked)
    --st.holding;
}

/// Every input that is not done marked round `k` or later: tells the
/// monitor the newest round all of them marked, and counts the inputs that
/// hold the next one back. Scans every input, once per round.
void check_marks(self_ptr self, uint64_t k) {
  auto& st = self->state;
  auto ready = k;
  for (auto& kvp : st.inputs)
    if (!kvp.second.done)
      ready = std::min(ready, kvp.second.mark);
  if (ready > st.marked) {
    st.marked = ready;
    self->send(st.monitor, ckpt_atom_v, ready);
  }
  st.holding = 0;
  for (auto& kvp : st.inputs)
    if (!kvp.second.done && kvp.second.mark <= st.marked)
      ++st.holding;
}

/// The input with key `key`, or null; through `index`, rebuilt after the
/// inputs changed (pointers to the elements of an unordered_map stay valid
/// until their element is erased).
sink_state::input* find_input(sink_state& st, uint64_t key) {
  auto& index = st.index;
  auto slot_of = [&](uint64_t k) {
    return static_cast<size_t>((k * 0x9E3779B97F4A7C15ull) >> 32)
           & (index.size() - 1);
  };
  if (index.empty()) {
    size_t n = 64;
    while (n < 2 * st.inputs.size())
      n *= 2;
    index.assign(n, {0, nullptr});
    for (auto& [k, in] : st.inputs) {
      auto i = slot_of(k);
      while (index[i].second != nullptr)
        i = (i + 1) & (index.size() - 1);
      index[i] = {k, &in};
    }
  }
  for (auto i = slot_of(key); index[i].second != nullptr;
       i = (i + 1) & (index.size() - 1))
    if (index[i].first == key)
      return index[i].second;
  return nullptr;
}

/// Input `key` marked checkpoint round `k` (actors/dataflow/
/// checkpoint_marks.hpp): a cluster replay's round waits until every
/// output before it is here.
void note_mark(self_ptr self, uint64_t k, uint64_t key) {
  auto& st = self->state;
  auto* found = st.report_marks ? find_input(st, key) : nullptr;
  if (found == nullptr)
    return;
  auto& in = *found;
  if (k > st.marked)
    release_hold(st, in);
  in.mark = std::max(in.mark, k);
  // Most marks leave an input that still holds the round back.
  if (st.holding <= 0)
    check_marks(self, k);
}

/// Writes the outputs of batch `b`, follows its input's watermark and
/// takes its mark.
void take(self_ptr self, const batch& b) {
  auto& st = self->state;
  if (sent_from_here(self))
    st.env.live->batch_received(b.points.empty() && b.mark != 0);
  auto* found = find_input(st, b.from);
  if (found == nullptr)
    return;
  auto now = st.env.clock->now_ns();
  auto& in = *found;
  size_t written = 0;
  // Runs of outputs to write go to the sink at once.
  auto* pts = b.points.data();
  size_t start = 0;
  for (size_t k = 0; k < b.points.size(); ++k) {
    auto& p = pts[k];
    // A node resumed from a checkpoint sends again what its predecessor
    // sent since; each node's outputs are written once, in ts order.
    if (p.ts <= in.last_ts) {
      if (k > start)
        st.out->write_points(in.name, pts + start, k - start);
      start = k + 1;
      continue;
    }
    in.last_ts = p.ts;
    ++written;
    st.latency.record(now - p.ts);
    st.latency_total.record(now - p.ts);
    if (in.single)
      st.latency_single.record(now - p.ts);
  }
  if (b.points.size() > start)
    st.out->write_points(in.name, pts + start, b.points.size() - start);
  if (written > 0) {
    in.last = b.points.back().value;
    if (!st.flush_scheduled) {
      st.flush_scheduled = true;
      self->delayed_send(self, sink_flush_interval, caf::flush_atom_v);
    }
  }
  st.outputs += written;
  auto was_complete = complete(st, in);
  if (b.wm > in.wm)
    in.wm = b.wm;
  if (b.wm == wm_end && !in.done) {
    release_hold(st, in);
    in.done = true;
    if (--st.open == 0) {
      finish(self);
      return;
    }
  }
  if (st.until != wm_end && !was_complete && complete(st, in)
      && --st.behind <= 0) {
    finish(self);
    return;
  }
  if (b.mark != 0)
    note_mark(self, b.mark, b.from);
}

} // namespace

bool alert_rule::covers(const std::string& name) const {
  return name.size() >= suffix.size()
         && name.compare(name.size() - suffix.size(), suffix.size(), suffix)
              == 0;
}

caf::behavior sink_actor(self_ptr self, std::shared_ptr<output_sink> out,
                         caf::actor monitor, alert_rule alert, actor_env env) {
  self->state.env = env;
  self->state.out = std::move(out);
  self->state.alert = std::move(alert);
  self->state.monitor = std::move(monitor);
  return {
    [=](wire_atom, std::vector<caf::actor>& nodes,
        std::vector<std::string>& names) {
      auto& st = self->state;
      st.inputs.reserve(st.inputs.size() + names.size());
      st.index.clear();
      for (size_t k = 0; k < names.size(); ++k) {
        auto& in = st.inputs[node_key(names[k])];
        if (in.name.empty()) {
          in.name = names[k];
          ++st.open;
          ++st.holding;
        }
        if (k < nodes.size())
          in.handle = nodes[k];
      }
      if (st.open == 0)
        finish(self);
      std::vector<uint64_t> keys;
      keys.reserve(names.size());
      for (auto& name : names)
        keys.push_back(node_key(name));
      return st.wiring.start(
        self, input_refs(std::move(nodes), keys, progress_tracker::no_band));
    },
    [=](sync_atom, const std::vector<caf::actor>& nodes,
        const std::vector<std::string>& names) {
      auto& st = self->state;
      auto me = caf::actor_cast<caf::actor>(self);
      std::unordered_map<uint64_t, size_t> wanted;
      for (size_t k = 0; k < names.size() && k < nodes.size(); ++k)
        wanted.emplace(node_key(names[k]), k);
      // The inputs change: `find_input` rebuilds its index when next asked.
      st.index.clear();
      // Inputs no longer in the graph go.
      for (auto i = st.inputs.begin(); i != st.inputs.end();) {
        if (wanted.count(i->first) == 0) {
          if (i->second.handle)
            self->send(i->second.handle, caf::unsubscribe_atom_v, me);
          if (!i->second.done)
            --st.open;
          release_hold(st, i->second);
          i = st.inputs.erase(i);
        } else {
          ++i;
        }
      }
      // New inputs and new actors of replaced nodes are subscribed to.
      std::vector<input_ref> subscribe;
      for (auto& [key, k] : wanted) {
        auto& in = st.inputs[key];
        if (in.name.empty()) {
          in.name = names[k];
          ++st.open;
          ++st.holding;
        }
        if (in.handle == nodes[k])
          continue;
        if (in.handle)
          self->send(in.handle, caf::unsubscribe_atom_v, me);
        in.handle = nodes[k];
        subscribe.push_back(
          input_ref{nodes[k], key, progress_tracker::no_band});
      }
      auto rp = st.wiring.start(self, subscribe, true);
      if (st.until != wm_end) {
        // After the subscription on the same channel: it is answered.
        for (auto& x : subscribe)
          self->send(x.handle, need_atom_v, st.until);
        check_complete(self);
      }
      return rp;
    },
    [=](moved_atom, uint64_t key, caf::actor& to) {
      // An input moved with its state: its new actor keeps our outputs
      // until we subscribe there.
      auto& st = self->state;
      auto i = st.inputs.find(key);
      if (i == st.inputs.end())
        return;
      i->second.handle = to;
      subscribe_to(self, to, key, progress_tracker::no_band, true);
      if (st.until != wm_end)
        self->send(to, need_atom_v, st.until);
    },
    [=](until_atom, int64_t t) {
      auto& st = self->state;
      st.until = t;
      for (auto& kvp : st.inputs)
        if (!complete(st, kvp.second) && kvp.second.handle)
          self->send(kvp.second.handle, need_atom_v, t);
      check_complete(self);
    },
    [=](subscribed_atom, uint64_t, point, int64_t) {
      self->state.wiring.confirm();
    },
    [=](mark_atom) {
      self->state.report_marks = true;
    },
    [=](mark_atom, uint64_t k, uint64_t key) {
      note_mark(self, k, key);
    },
    [=](batch& b) {
      take(self, b);
    },
    [=](std::vector<batch>& bs) {
      // Several nodes' batches from one cell (actors/dataflow/cell_actor.hpp).
      for (auto& b : bs)
        if (!self->state.finished)
          take(self, b);
    },
    [=](stats_atom) {
      auto& st = self->state;
      uint64_t alerting = 0;
      for (auto& kvp : st.inputs)
        if (kvp.second.last >= st.alert.threshold
            && st.alert.covers(kvp.second.name))
          ++alerting;
      auto reply = caf::make_message(st.outputs, st.latency.quantile(0.5),
                                     st.latency.quantile(0.99),
                                     st.latency.max(), alerting);
      st.latency.reset();
      return reply;
    },
    [=](single_atom, const std::vector<std::string>& names) {
      auto& st = self->state;
      for (auto& name : names) {
        auto i = st.inputs.find(node_key(name));
        if (i != st.inputs.end() && i->second.name == name)
          i->second.single = true;
      }
      return caf::ok_atom_v;
    },
    [=](latency_atom, bool reset) {
      auto& st = self->state;
      std::vector<uint64_t> reply;
      for (auto* h : {&st.latency, &st.latency_single}) {
        reply.push_back(h->count());
        for (double q : {0.5, 0.99, 0.999})
          reply.push_back(static_cast<uint64_t>(h->quantile(q)));
        reply.push_back(static_cast<uint64_t>(h->max()));
        if (reset)
          h->reset();
      }
      return reply;
    },
    [=](latency_atom, caf::get_atom) {
      return self->state.latency_total.to_numbers();
    },
    [=](caf::flush_atom) {
      self->state.flush_scheduled = false;
      self->state.out->flush();
    },
  };
}

} // namespace shoal
