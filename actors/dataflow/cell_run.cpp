#include <algorithm>
#include <chrono>

#include "caf/all.hpp"

#include "actors/dataflow/backlog.hpp"
#include "actors/dataflow/cell_parts.hpp"
#include "actors/dataflow/data_edge.hpp"
#include "actors/messages.hpp"
#include "runtime/core/metrics.hpp"

namespace shoal::cell_detail {

namespace {

/// The least time between two frontier moves that cells ask for.
constexpr int64_t nudge_gap_ns = 200'000;

/// The output watermark of input source `from` of a node, as of the last
/// run of that source (earlier in topological order).
int64_t wm_of(const cell_state& st, uint32_t from) {
  if (cell_node::is_sensor(from))
    return st.sensors[from & ~cell_node::sensor_flag].wm;
  return st.wms[from];
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
        st.box.need(st.routes[r].handle, t);
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

} // namespace

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
      },
      // Cells run single-node deployments, which take no checkpoints.
      [] {
        return uint64_t{0};
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

} // namespace shoal::cell_detail
