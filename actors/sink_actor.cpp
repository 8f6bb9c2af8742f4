#include "actors/sink_actor.hpp"

#include <chrono>
#include <string>
#include <vector>

#include "caf/all.hpp"

#include "actors/messages.hpp"
#include "actors/progress.hpp"
#include "actors/wiring.hpp"
#include "runtime/metrics.hpp"

namespace shoal {

namespace {

using self_ptr = caf::stateful_actor<sink_state>*;

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

void finish(self_ptr self) {
  auto& st = self->state;
  if (st.finished)
    return;
  st.finished = true;
  auto err = st.out->flush();
  if (st.monitor)
    self->send(st.monitor, done_atom_v, st.outputs, std::move(err));
  self->quit();
}

} // namespace

bool alert_rule::covers(const std::string& name) const {
  return name.size() >= suffix.size()
         && name.compare(name.size() - suffix.size(), suffix.size(), suffix)
              == 0;
}

caf::behavior sink_actor(self_ptr self, std::shared_ptr<output_sink> out,
                         caf::actor monitor, alert_rule alert) {
  self->state.out = std::move(out);
  self->state.alert = std::move(alert);
  self->state.monitor = std::move(monitor);
  return {
    [=](wire_atom, std::vector<caf::actor>& nodes,
        std::vector<std::string>& names) {
      auto& st = self->state;
      for (auto& name : names) {
        auto& in = st.inputs[node_key(name)];
        if (in.name.empty()) {
          in.name = name;
          ++st.open;
        }
      }
      if (st.open == 0)
        finish(self);
      return st.wiring.start(self, std::move(nodes), progress_tracker::no_band);
    },
    [=](subscribed_atom, uint64_t, point, int64_t) {
      self->state.wiring.confirm();
    },
    [=](batch& b) {
      auto& st = self->state;
      process_metrics().batch_received();
      auto i = st.inputs.find(b.from);
      if (i == st.inputs.end())
        return;
      auto now = now_ns();
      for (auto& p : b.points) {
        st.out->write(i->second.name, p);
        st.latency.record(now - p.ts);
        if (i->second.single)
          st.latency_single.record(now - p.ts);
      }
      if (!b.points.empty()) {
        i->second.last = b.points.back().value;
        if (!st.flush_scheduled) {
          st.flush_scheduled = true;
          self->delayed_send(self, sink_flush_interval, caf::flush_atom_v);
        }
      }
      st.outputs += b.points.size();
      if (b.wm == wm_end && !i->second.done) {
        i->second.done = true;
        if (--st.open == 0)
          finish(self);
      }
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
    [=](caf::flush_atom) {
      self->state.flush_scheduled = false;
      self->state.out->flush();
    },
  };
}

} // namespace shoal
