#include "actors/dataflow/cell_actor.hpp"

#include <algorithm>
#include <unordered_map>

#include "caf/all.hpp"

#include "actors/dataflow/backlog.hpp"
#include "actors/dataflow/data_edge.hpp"
#include "actors/messages.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/metrics.hpp"

namespace shoal {

namespace {

using self_ptr = caf::stateful_actor<cell_state>*;

/// The output watermark of input source `from` of a node, as of the last
/// run of that source (earlier in topological order).
int64_t wm_of(const cell_state& st, uint32_t from) {
  return from == cell_node::from_sensor ? st.sensor_wm : st.nodes[from].wm;
}

/// Asks what node `k` needs to pass `t`: its lagging outside inputs edge by
/// edge or through the band frontier, its lagging inputs inside the cell in
/// turn, the sensor's sources.
void ask(self_ptr self, uint32_t k, int64_t t) {
  auto& st = self->state;
  auto& c = st.nodes[k].core;
  ask_inputs(self, c, t, [&](size_t i, int64_t ts) {
    auto from = c.inputs[i].from;
    if (from == cell_node::from_sensor) {
      st.core.ask_sources(self, ts);
    } else if (from == cell_node::from_outside) {
      for (auto& r : st.routes)
        if (r.key == c.inputs[i].key && r.handle)
          self->send(r.handle, need_atom_v, ts);
    } else {
      ask(self, from, ts);
    }
    return true;
  });
}

/// Carries what arrived through the cell's nodes in topological order,
/// publishes their outputs and watermarks, asks for what they and their
/// subscribers wait on, and reports and stops at end of stream. Only nodes
/// that something reached run: those marked `dirty` and those whose inputs
/// inside the cell moved (a node's consumers come after it, so taking the
/// lowest index left keeps the order).
void run(self_ptr self) {
  auto& st = self->state;
  auto wm = st.core.out_wm();
  bool sensor_moved = !st.accepted.empty() || wm != st.sensor_wm;
  if (sensor_moved || st.sensor_dirty)
    sensor_step(self, *st.pub, st.core, wm, &st.box);
  st.sensor_wm = wm;
  st.sensor_dirty = false;
  auto to_run = st.dirty;
  if (sensor_moved)
    to_run |= st.sensor_consumers;
  st.dirty = 0;
  node_mask ran = 0;
  while (to_run != 0) {
    auto k = static_cast<uint32_t>(__builtin_ctzll(to_run));
    to_run &= to_run - 1;
    ran |= node_bit(k);
    auto& n = st.nodes[k];
    auto& c = n.core;
    for (size_t i = 0; i < c.inputs.size(); ++i) {
      auto from = c.inputs[i].from;
      if (from == cell_node::from_outside)
        continue;
      auto& pts
        = from == cell_node::from_sensor ? st.accepted : st.nodes[from].out;
      c.join.push(i, pts.data(), pts.size(), wm_of(st, from));
    }
    auto out_wm = node_step(
      self, c, &st.box,
      [&](point p) {
        n.out.push_back(p);
      },
      [&](int64_t t) {
        ask(self, k, t);
      });
    n.moved = !n.out.empty() || out_wm != n.wm;
    n.wm = out_wm;
    if (n.moved)
      to_run |= st.consumers[k];
  }
  // One message per subscriber for all of this run's batches; counted
  // before the batch that caused them is released.
  st.box.send(self);
  st.accepted.clear();
  for (auto r = ran; r != 0; r &= r - 1) {
    auto& n = st.nodes[static_cast<uint32_t>(__builtin_ctzll(r))];
    n.out.clear();
    n.moved = false;
  }
  auto ended
    = wm == wm_end
      && std::all_of(st.nodes.begin(), st.nodes.end(), [](const cell_node& n) {
           return n.wm == wm_end;
         });
  if (ended)
    end_stream(self, st.reported, [&] {
      report_to(self, st.monitor, st.sensor, st.core.counts);
      for (auto& n : st.nodes)
        report_to(self, st.monitor, n.core.name, n.core.counts);
    });
}

/// Takes batch `b` from a source or an outside input; returns the band it
/// was counted in.
uint32_t take(self_ptr self, const batch& b) {
  auto& s = self->state;
  if (sent_from_here(self))
    s.live->batch_received();
  auto r
    = std::find_if(s.routes.begin(), s.routes.end(), [&](const cell_route& x) {
        return x.key == b.from;
      });
  if (r == s.routes.end()) {
    s.core.accept(b, [&](point p) {
      s.accepted.push_back(p);
      s.pub->push(p);
    });
    return 0;
  }
  for (auto& [k, in] : r->feeds) {
    s.nodes[k].core.join.push(in, b.points.data(), b.points.size(), b.wm);
    s.dirty |= node_bit(k);
  }
  return r->band;
}

/// Builds the cell's nodes and its routes from outside; an error names the
/// node whose function could not be made.
caf::error build(self_ptr self, cell_spec& spec) {
  auto& st = self->state;
  if (spec.nodes.size() > 8 * sizeof(node_mask))
    return make_error(errc::invalid_input,
                      "the cell of sensor '" + st.sensor + "' has "
                        + std::to_string(spec.nodes.size())
                        + " nodes; a cell holds at most "
                        + std::to_string(8 * sizeof(node_mask)));
  st.nodes.reserve(spec.nodes.size());
  st.consumers.assign(spec.nodes.size(), 0);
  for (uint32_t k = 0; k < spec.nodes.size(); ++k) {
    auto& ns = spec.graph->nodes[spec.nodes[k]];
    auto tracked = st.tracker && k < spec.bands.size();
    auto core = node_core::make(
      ns, st.tracker.get(), tracked ? spec.bands[k] : progress_tracker::no_band,
      tracked ? spec.input_bands[k] : std::vector<uint32_t>{}, spec.fns,
      st.live);
    if (!core)
      return std::move(core.error());
    cell_node n{std::move(*core)};
    for (uint32_t i = 0; i < n.core.inputs.size(); ++i) {
      auto& in = n.core.inputs[i];
      in.from = spec.from[k][i];
      if (in.from == cell_node::from_sensor)
        st.sensor_consumers |= node_bit(k);
      else if (in.from != cell_node::from_outside)
        st.consumers[in.from] |= node_bit(k);
      if (in.from != cell_node::from_outside)
        continue;
      auto r = std::find_if(st.routes.begin(), st.routes.end(),
                            [&](const cell_route& x) {
                              return x.key == in.key;
                            });
      if (r == st.routes.end()) {
        st.routes.emplace_back();
        r = st.routes.end() - 1;
        r->key = in.key;
      }
      r->band = std::min(r->band, n.core.band);
      r->feeds.emplace_back(k, i);
    }
    st.nodes.push_back(std::move(n));
    // Nothing ran yet: every node runs first time.
    st.dirty |= node_bit(k);
  }
  return caf::none;
}

/// The publisher of the node with `key`, and that node's watermark.
std::pair<publisher*, int64_t> find_node(cell_state& st, uint64_t key) {
  if (key == st.pub->key())
    return {st.pub.get(), st.core.out_wm()};
  for (auto& n : st.nodes)
    if (key == n.core.pub.key())
      return {&n.core.pub, n.core.join.out_wm()};
  return {nullptr, wm_none};
}

/// Subscribes to every input outside the cell, found in the directory.
caf::response_promise wire(self_ptr self, const std::vector<std::string>& names,
                           const std::vector<caf::actor>& xs) {
  auto& st = self->state;
  std::unordered_map<uint64_t, caf::actor> dir;
  for (size_t i = 0; i < names.size() && i < xs.size(); ++i)
    dir.emplace(node_key(names[i]), xs[i]);
  std::vector<input_ref> refs;
  for (auto& r : st.routes) {
    auto i = dir.find(r.key);
    if (i == dir.end()) {
      auto& [k, in] = r.feeds.front();
      auto& c = st.nodes[k].core;
      auto rp = self->make_response_promise();
      rp.deliver(make_error(errc::not_found, "node '" + c.name + "': input "
                                               + std::to_string(in + 1)
                                               + " is not in the directory"));
      return rp;
    }
    r.handle = i->second;
    refs.push_back(input_ref{i->second, r.key, r.band});
  }
  return st.wiring.start(self, std::move(refs));
}

} // namespace

caf::behavior cell_actor(self_ptr self, cell_spec spec, caf::actor monitor,
                         std::shared_ptr<progress_tracker> tracker) {
  auto& st = self->state;
  st.sensor = spec.graph->nodes[spec.sensor].name;
  st.monitor = std::move(monitor);
  st.tracker = std::move(tracker);
  st.live = spec.live;
  st.core.live = st.live;
  st.pub = std::make_unique<publisher>(node_key(st.sensor), st.tracker.get(),
                                       st.live);
  if (auto err = build(self, spec)) {
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
    [=](wire_atom, const std::vector<std::string>& names,
        const std::vector<caf::actor>& xs) {
      return wire(self, names, xs);
    },
    [=](batch& b) {
      auto band = take(self, b);
      run(self);
      release_batch(self->state.tracker.get(), band, b);
    },
    [=](std::vector<batch>& bs) {
      std::vector<uint32_t> bands;
      bands.reserve(bs.size());
      for (auto& b : bs)
        bands.push_back(take(self, b));
      run(self);
      for (size_t i = 0; i < bs.size(); ++i)
        release_batch(self->state.tracker.get(), bands[i], bs[i]);
    },
    [=](frontier_atom, uint32_t band, int64_t f) {
      auto& s = self->state;
      for (uint32_t k = 0; k < s.nodes.size(); ++k)
        if (auto& c = s.nodes[k].core; c.band == band) {
          c.frontier(f);
          s.dirty |= node_bit(k);
        }
      run(self);
    },
    [=](need_atom, int64_t ts) {
      auto& s = self->state;
      auto who = self->current_sender();
      // Only the nodes that `who` subscribed to run.
      if (s.pub->request(self, who, ts, s.core.out_wm()))
        s.sensor_dirty = true;
      for (uint32_t k = 0; k < s.nodes.size(); ++k)
        if (auto& c = s.nodes[k].core;
            c.pub.request(self, who, ts, c.join.out_wm()))
          s.dirty |= node_bit(k);
      run(self);
    },
    [=](caf::subscribe_atom, caf::actor& sub, uint32_t band,
        uint64_t key) -> caf::result<caf::message> {
      auto& s = self->state;
      auto [pub, wm] = find_node(s, key);
      if (!pub)
        return make_error(errc::not_found, "cell of sensor '" + s.sensor
                                             + "' has no node with key "
                                             + std::to_string(key));
      return subscribe_reply(self, *pub, std::move(sub), band, wm);
    },
    [=](subscribed_atom, uint64_t key, point last, int64_t wm) {
      auto& s = self->state;
      for (auto& r : s.routes)
        if (r.key == key)
          for (auto& [k, in] : r.feeds) {
            s.nodes[k].core.join.seed(in, last, wm);
            s.dirty |= node_bit(k);
          }
      s.wiring.confirm();
      run(self);
    },
    [=](caf::unsubscribe_atom, const caf::actor& sub) {
      auto& s = self->state;
      s.pub->remove(sub);
      for (auto& n : s.nodes)
        n.core.pub.remove(sub);
    },
  };
}

} // namespace shoal
