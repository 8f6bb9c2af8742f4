#include "actors/dataflow/cell_actor.hpp"

#include <algorithm>

#include "caf/all.hpp"

#include "actors/dataflow/backlog.hpp"
#include "actors/dataflow/cell_parts.hpp"
#include "actors/dataflow/data_edge.hpp"
#include "actors/messages.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/metrics.hpp"

namespace shoal {

using namespace cell_detail;

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
      auto* entry = find_subscriber(s, caf::actor_cast<caf::actor>(who));
      if (entry == nullptr || ts <= entry->asked)
        return;
      entry->asked = ts;
      for (auto at : entry->targets)
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
      drop_subscriber(self->state, sub);
    },
  };
}

} // namespace shoal
