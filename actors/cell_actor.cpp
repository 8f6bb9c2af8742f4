#include "actors/cell_actor.hpp"

#include <unordered_map>

#include "caf/all.hpp"

#include "actors/messages.hpp"
#include "runtime/errc.hpp"
#include "runtime/fn_factory.hpp"
#include "runtime/metrics.hpp"
#include "runtime/node_fire.hpp"

namespace shoal {

namespace {

using self_ptr = caf::stateful_actor<cell_state>*;

/// Carries the accepted samples through the cell's nodes, publishes every
/// node's outputs and watermark, asks the sources for what subscribers wait
/// on, and reports and stops at end of stream.
void run(self_ptr self) {
  auto& st = self->state;
  auto wm = st.core.out_wm();
  st.pub->flush(self, wm);
  auto wanted = st.pub->max_request();
  for (auto& n : st.nodes) {
    for (size_t i = 0; i < n.inputs.size(); ++i) {
      auto from = n.inputs[i];
      if (from == 0) {
        n.join.push(i, st.accepted.data(), st.accepted.size(), wm);
      } else {
        auto& in = st.nodes[from - 1];
        n.join.push(i, in.out.data(), in.out.size(), in.join.out_wm());
      }
    }
    fire_ready(n.join, *n.fn, n.counts, [&](point p) {
      n.out.push_back(p);
      n.pub.push(p);
    });
    n.pub.flush(self, n.join.out_wm());
    wanted = std::max(wanted, n.pub.max_request());
  }
  st.accepted.clear();
  for (auto& n : st.nodes)
    n.out.clear();
  if (wanted > wm)
    st.core.ask_sources(self, wanted);
  if (wm == wm_end && !st.reported) {
    st.reported = true;
    if (st.monitor) {
      self->send(st.monitor, report_atom_v, st.sensor, st.core.counts);
      for (auto& n : st.nodes)
        self->send(st.monitor, report_atom_v, n.name, n.counts);
    }
    // Nothing can follow end of stream: the actor is done.
    self->quit();
  }
}

/// Builds the cell's nodes; an error names the node whose function could
/// not be made or whose input is not in the cell.
caf::error build(self_ptr self, const node_spec& sensor,
                 std::vector<node_spec>& specs) {
  auto& st = self->state;
  std::unordered_map<std::string, uint32_t> index;
  index.emplace(sensor.name, 0);
  st.nodes.reserve(specs.size());
  for (auto& spec : specs) {
    auto fn = make_fn(spec);
    if (!fn)
      return std::move(fn.error());
    std::vector<bool> triggers(spec.needs.size(), spec.trigger.empty());
    std::vector<uint32_t> inputs;
    for (size_t i = 0; i < spec.needs.size(); ++i) {
      auto j = index.find(spec.needs[i]);
      if (j == index.end())
        return make_error(errc::invalid_graph,
                          "node '" + spec.name + "': input '" + spec.needs[i]
                            + "' is not in the cell of sensor '" + sensor.name
                            + "'");
      inputs.push_back(j->second);
      for (auto& t : spec.trigger)
        if (t == spec.needs[i])
          triggers[i] = true;
    }
    st.nodes.emplace_back(spec.name, node_key(spec.name), std::move(*fn),
                          std::move(triggers), st.tracker.get());
    st.nodes.back().inputs = std::move(inputs);
    index.emplace(spec.name, static_cast<uint32_t>(st.nodes.size()));
  }
  return caf::none;
}

/// The publisher of the node with `key`, and that node's watermark.
std::pair<publisher*, int64_t> find_node(cell_state& st, uint64_t key) {
  if (key == node_key(st.sensor))
    return {st.pub.get(), st.core.out_wm()};
  for (auto& n : st.nodes)
    if (key == n.pub.key())
      return {&n.pub, n.join.out_wm()};
  return {nullptr, wm_none};
}

} // namespace

caf::behavior cell_actor(self_ptr self, node_spec sensor,
                         std::vector<node_spec> nodes, caf::actor monitor,
                         std::shared_ptr<progress_tracker> tracker) {
  auto& st = self->state;
  st.sensor = sensor.name;
  st.monitor = std::move(monitor);
  st.tracker = std::move(tracker);
  st.pub = std::make_unique<publisher>(node_key(sensor.name), st.tracker.get());
  if (auto err = build(self, sensor, nodes)) {
    // The graph was validated before deployment; this only happens when a
    // resource vanished in between (e.g. a model file was deleted).
    self->quit(std::move(err));
    return {};
  }
  return {
    [=](attach_atom, caf::actor& src, uint64_t key, uint32_t index) {
      self->state.core.attach(std::move(src), key, index);
      return caf::ok_atom_v;
    },
    [=](detach_atom, uint64_t key, int64_t wm) {
      if (self->state.core.detach(key, wm))
        run(self);
    },
    [=](batch& b) {
      auto& s = self->state;
      process_metrics().batch_received();
      s.core.accept(b, [&](point p) {
        s.accepted.push_back(p);
        s.pub->push(p);
      });
      run(self);
      if (s.tracker && b.token != progress_tracker::no_token)
        s.tracker->release(0, b.token);
    },
    [=](need_atom, int64_t ts) {
      auto& s = self->state;
      auto who = self->current_sender();
      auto wm = s.core.out_wm();
      s.pub->request(self, who, ts, wm);
      for (auto& n : s.nodes)
        n.pub.request(self, who, ts, n.join.out_wm());
      if (ts > wm)
        s.core.ask_sources(self, ts);
    },
    [=](caf::subscribe_atom, caf::actor& sub, uint32_t band,
        uint64_t key) -> caf::result<caf::message> {
      auto& s = self->state;
      auto [pub, wm] = find_node(s, key);
      if (!pub)
        return make_error(errc::not_found,
                          "cell of sensor '" + s.sensor
                            + "' has no node with key "
                            + std::to_string(key));
      pub->add(self, std::move(sub), band);
      return caf::make_message(subscribed_atom_v, key, pub->last(), wm);
    },
    [=](caf::unsubscribe_atom, const caf::actor& sub) {
      auto& s = self->state;
      s.pub->remove(sub);
      for (auto& n : s.nodes)
        n.pub.remove(sub);
    },
  };
}

} // namespace shoal
