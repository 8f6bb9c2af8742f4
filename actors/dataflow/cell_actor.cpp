#include "actors/dataflow/cell_actor.hpp"

#include <algorithm>
#include <chrono>
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

/// The least time between two frontier moves that cells ask for.
constexpr int64_t nudge_gap_ns = 200'000;

/// The output watermark of input source `from` of a node, as of the last
/// run of that source (earlier in topological order).
int64_t wm_of(const cell_state& st, uint32_t from) {
  if (cell_node::is_sensor(from))
    return st.sensors[from & ~cell_node::sensor_flag].wm;
  return st.wms[from];
}

/// Marks sensor `j` to run in the next run.
void touch_sensor(cell_state& st, uint32_t j) {
  auto& s = st.sensors[j];
  if (!s.due) {
    s.due = true;
    st.due.push_back(j);
  }
}

/// Waits for band `band` to reach `t` with the tracker, once per band and
/// smaller `t`: the notice runs every node of the band that waits.
void wait_band(self_ptr self, uint32_t band, int64_t t) {
  auto& st = self->state;
  if (t >= st.band_wait[band])
    return;
  st.band_wait[band] = t;
  auto f = st.tracker->wait(band, t, caf::actor_cast<caf::actor>(self));
  if (f >= t)
    self->send(self, frontier_atom_v, band, f);
}

/// Asks what node `k` needs to pass `t`: its lagging outside inputs edge by
/// edge or through the band frontier, its lagging inputs inside the cell in
/// turn, the sensors' sources.
void ask(self_ptr self, uint32_t k, int64_t t) {
  auto& st = self->state;
  auto& c = st.nodes[k].core;
  bool wait = false;
  for (size_t i = 0; i < c.inputs.size(); ++i) {
    auto& in = c.inputs[i];
    if (c.join.input_wm(i) >= t)
      continue;
    if (in.covered) {
      wait = true;
      continue;
    }
    if (in.asked >= t)
      continue;
    in.asked = t;
    if (cell_node::is_sensor(in.from)) {
      st.sensors[in.from & ~cell_node::sensor_flag].core.ask_sources(self, t);
    } else if (in.from == cell_node::from_outside) {
      auto r = st.route_at.find(in.key);
      if (r != key_table::npos && st.routes[r].handle)
        self->send(st.routes[r].handle, need_atom_v, t);
      else
        in.asked = wm_none; // not wired yet: ask again later
    } else {
      ask(self, in.from, t);
    }
  }
  if (wait && t < c.waiting) {
    c.waiting = t;
    st.band_waiters[c.band].emplace(t, k);
    wait_band(self, c.band, t);
  }
}

/// Brings the covered inputs of node `n` to its band's frontier.
void catch_up(cell_state& st, cell_node& n) {
  auto band = n.core.band;
  if (band >= st.band_frontier.size())
    return;
  auto f = st.band_frontier[band];
  if (f > n.frontier) {
    n.frontier = f;
    n.core.frontier(f);
  }
}

/// Adds the consumers inside the cell of producer `p` (a node, or
/// `nodes.size() + j` for sensor `j`) to the nodes to run: all of them if
/// it produced outputs (`data`) or ended, else only those that do not learn
/// its watermark from their band frontier. A consumer takes the producer's
/// watermark whenever it runs, so one that waits for the frontier is not
/// run for a watermark alone.
void reach_consumers(cell_state& st, size_t p, bool data) {
  for (auto i = st.consumer_at[p]; i < st.consumer_at[p + 1]; ++i) {
    auto c = st.consumer_of[i];
    if (data || (c & cell_state::covered_flag) == 0) {
      st.dirty.insert(c & ~cell_state::covered_flag);
    }
  }
}

/// After a message released items: lets the tracker move the frontiers now
/// if no cell did in the last `nudge_gap_ns` (actors/dataflow/progress.hpp).
void nudge(self_ptr self) {
  auto& t = self->state.tracker;
  if (!t)
    return;
  auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
               .count();
  t->nudge(now, nudge_gap_ns,
           [self](const caf::actor& who, uint32_t band, int64_t f) {
             self->send(who, frontier_atom_v, band, f);
           });
}

/// Carries what arrived through the cell's sensors and nodes in topological
/// order, publishes their outputs and watermarks, asks for what they and
/// their subscribers wait on, and reports and stops at end of stream. Only
/// the sensors and nodes that something reached run.
void run(self_ptr self) {
  auto& st = self->state;
  for (auto j : st.due) {
    auto& s = st.sensors[j];
    auto wm = s.core.out_wm();
    bool moved = !s.accepted.empty() || wm != s.wm;
    if (moved || s.asked)
      sensor_step(self, s.pub, s.core, wm, &st.box);
    if (wm == wm_end && s.wm != wm_end)
      ++st.ended;
    s.wm = wm;
    s.asked = false;
    if (moved)
      reach_consumers(st, st.nodes.size() + j,
                      !s.accepted.empty() || wm == wm_end);
  }
  ++st.runs;
  uint32_t k = 0;
  while (st.dirty.pop(k)) {
    st.ran.push_back(k);
    st.ran_in[k] = st.runs;
    // The nodes of a group are spread over the heap: while this one runs,
    // ask for the memory the next one points to (its node was asked for
    // one step earlier) and for the node after it.
    if (auto next = st.dirty.peek(); next != node_set::none) {
      st.nodes[next].core.prefetch();
      if (auto later = st.dirty.after(next); later != node_set::none) {
        auto* p = reinterpret_cast<const char*>(&st.nodes[later]);
        for (size_t line = 0; line < sizeof(cell_node); line += 64)
          __builtin_prefetch(p + line);
      }
    }
    auto& n = st.nodes[k];
    auto& c = n.core;
    for (size_t i = 0; i < c.inputs.size(); ++i) {
      auto from = c.inputs[i].from;
      if (from == cell_node::from_outside)
        continue;
      // Only a producer that ran in this run has outputs: the others'
      // memory is not touched (`wms` and `ran_in` are dense).
      if (cell_node::is_sensor(from)) {
        auto& pts = st.sensors[from & ~cell_node::sensor_flag].accepted;
        c.join.push(i, pts.data(), pts.size(), wm_of(st, from));
      } else if (st.ran_in[from] == st.runs) {
        auto& pts = st.nodes[from].out;
        c.join.push(i, pts.data(), pts.size(), st.wms[from]);
      } else {
        c.join.push(i, nullptr, 0, st.wms[from]);
      }
    }
    // The band frontier matters to a node that cannot do all it has: a
    // firing or a due output its inputs have not reached, a subscriber's
    // request, a wait for the frontier. The others take it when they next
    // need it.
    auto due = c.next_due();
    if ((due != wm_end && !c.join.ready_for(due)) || c.waiting != wm_end
        || c.pub.max_request() > c.join.out_wm())
      catch_up(st, n);
    // Inputs that got past what the node waited for without the frontier
    // end the wait: it asks again below for what it needs next.
    if (c.waiting != wm_end && c.join.ready_for(c.waiting))
      c.waiting = wm_end;
    auto out_wm = node_step(
      self, c, &st.box,
      [&](point p) {
        n.out.push_back(p);
      },
      [&](int64_t t) {
        ask(self, k, t);
      });
    auto& wm = st.wms[k];
    bool moved = !n.out.empty() || out_wm != wm;
    if (out_wm == wm_end && wm != wm_end)
      ++st.ended;
    wm = out_wm;
    if (moved)
      reach_consumers(st, k, !n.out.empty() || out_wm == wm_end);
  }
  // One message per subscriber for all of this run's batches; counted
  // before the batch that caused them is released.
  st.box.send(self);
  for (auto j : st.due) {
    st.sensors[j].accepted.clear();
    st.sensors[j].due = false;
  }
  st.due.clear();
  for (auto r : st.ran)
    st.nodes[r].out.clear();
  st.ran.clear();
  if (st.ended == st.sensors.size() + st.nodes.size())
    end_stream(self, st.reported, [&] {
      for (auto& s : st.sensors)
        report_to(self, st.monitor, s.name, s.core.counts);
      for (auto& n : st.nodes)
        report_to(self, st.monitor, n.core.name, n.core.counts);
    });
}

/// Takes batch `b` for sensor `j` from one of its sources.
void take_samples(cell_state& st, uint32_t j, const batch& b) {
  auto& s = st.sensors[j];
  s.core.accept(b, [&](point p) {
    s.accepted.push_back(p);
    s.pub.push(p);
  });
  touch_sensor(st, j);
}

/// Takes batch `b` from the outside input of route `r`, or (`r` is
/// `key_table::npos`) from a source of the cell's only sensor; returns the
/// band it was counted in.
uint32_t take(self_ptr self, const batch& b, uint32_t r) {
  auto& st = self->state;
  if (sent_from_here(self))
    st.live->batch_received();
  if (r == key_table::npos) {
    // Several sensors take their sources' batches as a `sensor_feed`.
    if (st.sensors.size() == 1)
      take_samples(st, 0, b);
    return 0;
  }
  auto& route = st.routes[r];
  for (auto& [k, in] : route.feeds) {
    auto& c = st.nodes[k].core;
    c.join.push(in, b.points.data(), b.points.size(), b.wm);
    // A batch on an input that the band frontier covers and that does not
    // trigger the node makes it run only if the node now has all it waited
    // for or the input ended: a new firing needs its hold counted before
    // the batch is released, and an input outside the frontier is asked
    // edge by edge. Otherwise the values wait in its join until the node
    // runs for its own trigger or the frontier's notice.
    if (!c.inputs[in].covered || c.join.triggers(in) || b.wm == wm_end
        || (c.waiting != wm_end && c.join.ready_for(c.waiting))) {
      st.dirty.insert(k);
    }
  }
  return route.band;
}

/// The sensor with directory index `index`: the only one of a cell of one
/// sensor, whatever the index; `key_table::npos` if none.
uint32_t sensor_at(const cell_state& st, uint32_t index) {
  if (st.sensors.size() == 1)
    return 0;
  return st.by_index.find(index);
}

/// Builds the cell's sensors, nodes and routes from outside; an error names
/// the node whose function could not be made.
caf::error build(self_ptr self, cell_spec& spec) {
  auto& st = self->state;
  auto& g = *spec.graph;
  st.sensors.reserve(spec.sensors.size());
  for (size_t j = 0; j < spec.sensors.size(); ++j) {
    auto& name = g.nodes[spec.sensors[j]].name;
    auto at = j < spec.directory.size() ? spec.directory[j] : 0;
    st.sensors.emplace_back(
      name, at, publisher{node_key(name), st.tracker.get(), st.live});
    st.sensors.back().core.live = st.live;
    st.by_key.add(node_key(name),
                  cell_node::sensor_ref(static_cast<uint32_t>(j)));
    st.by_index.add(at, static_cast<uint32_t>(j));
    st.due.push_back(static_cast<uint32_t>(j));
    st.sensors.back().due = true;
  }
  st.nodes.reserve(spec.nodes.size());
  st.dirty.resize(spec.nodes.size());
  st.wms.assign(spec.nodes.size(), wm_none);
  st.ran_in.assign(spec.nodes.size(), 0);
  // (producer, consumer) pairs, sorted into `consumer_at`/`consumer_of`.
  std::vector<std::pair<uint32_t, uint32_t>> edges;
  std::unordered_map<uint64_t, size_t> route_of;
  auto producers = spec.nodes.size() + spec.sensors.size();
  for (uint32_t k = 0; k < spec.nodes.size(); ++k) {
    auto& ns = g.nodes[spec.nodes[k]];
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
      auto consumer = in.covered ? k | cell_state::covered_flag : k;
      if (cell_node::is_sensor(in.from))
        edges.emplace_back(static_cast<uint32_t>(spec.nodes.size())
                             + (in.from & ~cell_node::sensor_flag),
                           consumer);
      else if (in.from != cell_node::from_outside)
        edges.emplace_back(in.from, consumer);
      if (in.from != cell_node::from_outside)
        continue;
      auto [r, added] = route_of.emplace(in.key, st.routes.size());
      if (added)
        st.routes.emplace_back();
      auto& route = st.routes[r->second];
      route.key = in.key;
      route.band = std::min(route.band, n.core.band);
      route.feeds.emplace_back(k, i);
    }
    st.by_key.add(n.core.pub.key(), k);
    st.nodes.push_back(std::move(n));
    // Nothing ran yet: every node runs first time.
    st.dirty.insert(k);
  }
  // A consumer listed twice for one producer (two of its inputs) is
  // covered only if both inputs are.
  std::sort(edges.begin(), edges.end(), [](auto& x, auto& y) {
    auto node = ~cell_state::covered_flag;
    return std::pair{x.first, x.second & node}
           < std::pair{y.first, y.second & node};
  });
  size_t kept = 0;
  for (auto& e : edges) {
    auto node = ~cell_state::covered_flag;
    if (kept > 0 && edges[kept - 1].first == e.first
        && (edges[kept - 1].second & node) == (e.second & node))
      edges[kept - 1].second &= e.second | node;
    else
      edges[kept++] = e;
  }
  edges.resize(kept);
  st.consumer_at.assign(producers + 1, 0);
  for (auto& e : edges)
    ++st.consumer_at[e.first + 1];
  for (size_t p = 0; p < producers; ++p)
    st.consumer_at[p + 1] += st.consumer_at[p];
  st.consumer_of.reserve(edges.size());
  for (auto& e : edges)
    st.consumer_of.push_back(e.second);
  for (uint32_t r = 0; r < st.routes.size(); ++r)
    st.route_at.add(st.routes[r].key, r);
  st.by_key.seal();
  st.by_index.seal();
  st.route_at.seal();
  if (st.tracker) {
    auto bands = st.tracker->bands();
    st.band_frontier.assign(bands, wm_none);
    st.band_wait.assign(bands, wm_end);
    st.band_waiters.resize(bands);
  }
  return caf::none;
}

/// The publisher of the node or sensor with `key`, and its watermark.
std::pair<publisher*, int64_t> find_node(cell_state& st, uint32_t at) {
  if (at == key_table::npos)
    return {nullptr, wm_none};
  if (cell_node::is_sensor(at)) {
    auto& s = st.sensors[at & ~cell_node::sensor_flag];
    return {&s.pub, s.core.out_wm()};
  }
  auto& c = st.nodes[at].core;
  return {&c.pub, c.join.out_wm()};
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

/// Registers request `ts` of subscriber `who` with node or sensor `at`.
void request(self_ptr self, uint32_t at, const caf::strong_actor_ptr& who,
             int64_t ts) {
  auto& st = self->state;
  if (cell_node::is_sensor(at)) {
    auto j = at & ~cell_node::sensor_flag;
    auto& s = st.sensors[j];
    if (s.pub.request(self, who, ts, s.core.out_wm())) {
      s.asked = true;
      touch_sensor(st, j);
    }
    return;
  }
  auto& c = st.nodes[at].core;
  if (c.pub.request(self, who, ts, c.join.out_wm()))
    st.dirty.insert(at);
}

/// The entry of subscriber `who`, added if new.
cell_subscriber& subscriber_of(cell_state& st, const caf::actor& who) {
  auto handle = [](const cell_subscriber& x) -> const caf::actor& {
    return x.handle;
  };
  auto i = st.subscriber_at.find(st.subscribers, who, handle);
  if (i != actor_index::npos)
    return st.subscribers[i];
  st.subscribers.push_back(cell_subscriber{who, {}, wm_none});
  st.subscriber_at.pushed(st.subscribers, handle);
  return st.subscribers.back();
}

} // namespace

caf::behavior cell_actor(self_ptr self, cell_spec spec, caf::actor monitor,
                         std::shared_ptr<progress_tracker> tracker) {
  auto& st = self->state;
  auto& first = spec.graph->nodes[spec.sensors.empty() ? 0 : spec.sensors[0]];
  st.label = "sensor '" + first.name + "'";
  if (spec.sensors.size() > 1)
    st.label = "sensors '" + first.name + "' and "
               + std::to_string(spec.sensors.size() - 1) + " more";
  st.monitor = std::move(monitor);
  st.tracker = std::move(tracker);
  st.live = spec.live;
  if (auto err = build(self, spec)) {
    // The graph was validated before deployment; this only happens when a
    // resource vanished in between (e.g. a model file was deleted).
    self->quit(std::move(err));
    return {};
  }
  return {
    [=](attach_atom, caf::actor& src, uint64_t key,
        uint32_t index) -> caf::result<caf::ok_atom> {
      auto& s = self->state;
      auto j = sensor_at(s, index);
      if (j == key_table::npos)
        return make_error(errc::not_found, "the cell of " + s.label
                                             + " has no sensor with index "
                                             + std::to_string(index));
      s.sensors[j].core.attach(std::move(src), key, index);
      return caf::ok_atom_v;
    },
    [=](detach_atom, uint64_t key, int64_t wm) {
      auto& s = self->state;
      bool any = false;
      for (uint32_t j = 0; j < s.sensors.size(); ++j)
        if (s.sensors[j].core.detach(key, wm)) {
          touch_sensor(s, j);
          any = true;
        }
      if (any)
        run(self);
    },
    [=](wire_atom, const std::vector<std::string>& names,
        const std::vector<caf::actor>& xs) {
      return wire(self, names, xs);
    },
    [=](batch& b) {
      auto band = take(self, b, self->state.route_at.find(b.from));
      run(self);
      release_batch(self->state.tracker.get(), band, b);
      nudge(self);
    },
    [=](std::vector<batch>& bs) {
      auto& s = self->state;
      // The routes first and then the nodes they feed, each asked for
      // ahead of its use: the lookups of many batches overlap instead of
      // waiting for memory one after the other.
      std::vector<uint32_t> bands(bs.size());
      for (size_t i = 0; i < bs.size(); ++i)
        bands[i] = s.route_at.find(bs[i].from);
      for (auto r : bands)
        if (r != key_table::npos)
          for (auto& feed : s.routes[r].feeds)
            s.nodes[feed.first].core.prefetch();
      for (size_t i = 0; i < bs.size(); ++i)
        bands[i] = take(self, bs[i], bands[i]);
      run(self);
      for (size_t i = 0; i < bs.size(); ++i)
        release_batch(self->state.tracker.get(), bands[i], bs[i]);
      nudge(self);
    },
    [=](sensor_feed& feed) {
      auto& s = self->state;
      auto n = std::min(feed.sensors.size(), feed.batches.size());
      if (n > 0 && sent_from_here(self))
        for (size_t i = 0; i < n; ++i)
          s.live->batch_received();
      for (size_t i = 0; i < n; ++i)
        if (auto j = sensor_at(s, feed.sensors[i]); j != key_table::npos)
          take_samples(s, j, feed.batches[i]);
      run(self);
      // Samples are counted in band 0.
      for (size_t i = 0; i < n; ++i)
        release_batch(s.tracker.get(), 0, feed.batches[i]);
      nudge(self);
    },
    [=](frontier_atom, uint32_t band, int64_t f) {
      auto& s = self->state;
      if (band >= s.band_frontier.size())
        return;
      s.band_frontier[band] = std::max(s.band_frontier[band], f);
      if (s.band_wait[band] <= f)
        s.band_wait[band] = wm_end;
      // Only the nodes whose wait the notice ends run, found in time
      // logarithmic in the waits (a scan of every waiting node per notice
      // made a cell that fell behind slower still); the others take the
      // frontier when they next run. An entry whose node no longer waits
      // for it is dropped on the way.
      auto& waiters = s.band_waiters[band];
      while (!waiters.empty() && waiters.top().first <= f) {
        auto k = waiters.top().second;
        waiters.pop();
        if (s.nodes[k].core.waiting <= f) {
          catch_up(s, s.nodes[k]);
          s.dirty.insert(k);
        }
      }
      run(self);
      // This notice may have ended the cell's wait with the tracker while
      // nodes still wait for more (those that ran registered again).
      while (!waiters.empty()
             && s.nodes[waiters.top().second].core.waiting
                  != waiters.top().first)
        waiters.pop();
      if (!waiters.empty())
        wait_band(self, band, waiters.top().first);
      nudge(self);
    },
    [=](need_atom, int64_t ts) {
      auto& s = self->state;
      auto& who = self->current_sender();
      auto sub = caf::actor_cast<caf::actor>(who);
      auto handle = [](const cell_subscriber& x) -> const caf::actor& {
        return x.handle;
      };
      auto i = s.subscriber_at.find(s.subscribers, sub, handle);
      if (i == actor_index::npos || ts <= s.subscribers[i].asked)
        return;
      s.subscribers[i].asked = ts;
      for (auto at : s.subscribers[i].targets)
        request(self, at, who, ts);
      run(self);
    },
    [=](caf::subscribe_atom, caf::actor& sub, uint32_t band,
        uint64_t key) -> caf::result<caf::message> {
      auto& s = self->state;
      auto at = s.by_key.find(key);
      auto [pub, wm] = find_node(s, at);
      if (!pub)
        return make_error(errc::not_found, "the cell of " + s.label
                                             + " has no node with key "
                                             + std::to_string(key));
      // A subscriber that subscribes again is listed twice: a request
      // registered twice is answered once.
      auto& entry = subscriber_of(s, sub);
      entry.targets.push_back(at);
      auto asked = entry.asked;
      auto reply = subscribe_reply(self, *pub, std::move(sub), band, wm);
      // A subscriber that asked already waits for this node too.
      if (asked != wm_none)
        request(self, at, self->current_sender(), asked);
      return reply;
    },
    [=](subscribed_atom, uint64_t key, point last, int64_t wm) {
      auto& s = self->state;
      if (auto r = s.route_at.find(key); r != key_table::npos)
        for (auto& [k, in] : s.routes[r].feeds) {
          s.nodes[k].core.join.seed(in, last, wm);
          s.dirty.insert(k);
        }
      s.wiring.confirm();
      run(self);
    },
    [=](caf::unsubscribe_atom, const caf::actor& sub) {
      auto& s = self->state;
      for (auto& x : s.sensors)
        x.pub.remove(sub);
      for (auto& n : s.nodes)
        n.core.pub.remove(sub);
      auto handle = [](const cell_subscriber& x) -> const caf::actor& {
        return x.handle;
      };
      auto i = s.subscriber_at.find(s.subscribers, sub, handle);
      if (i != actor_index::npos) {
        s.subscribers.erase(s.subscribers.begin()
                            + static_cast<std::ptrdiff_t>(i));
        s.subscriber_at.rebuild(s.subscribers, handle);
      }
    },
  };
}

} // namespace shoal
