#include "actors/sources/live_source.hpp"

#include "caf/all.hpp"

#include "actors/messages.hpp"
#include "runtime/core/metrics.hpp"

namespace shoal {

caf::behavior live_source(caf::stateful_actor<live_source_state>* self,
                          std::shared_ptr<sample_feed> feed,
                          std::shared_ptr<const sensor_directory> dir,
                          std::vector<caf::actor> sensors, uint64_t key,
                          live_options opts) {
  auto& st = self->state;
  st.feed = std::move(feed);
  st.dir = std::move(dir);
  st.opts = std::move(opts);
  st.last = st.opts.clock->now_ns();
  if (auto err = start_live_ingest(st, key, std::move(sensors), st.last)) {
    self->quit(std::move(err));
    return {};
  }
  return {
    [=](caf::tick_atom) {
      auto& s = self->state;
      auto now = s.opts.clock->now_ns();
      s.buf.clear();
      s.feed->generate(s.last, now, s.buf);
      s.last = now;
      auto& names = s.feed->sensor_names();
      uint64_t rejected = 0;
      for (auto& x : s.buf) {
        auto v = s.filter->offer(names[x.sensor], x.ts, x.value);
        if (v.accepted)
          s.router->add(v.sensor, {x.ts, x.value});
        else
          ++rejected;
      }
      s.opts.live->add_samples(0, rejected);
      s.filter->set_watermark(now - s.opts.allowed_lateness_ns);
      s.router->flush(self, s.filter->watermark());
      if (auto& t = s.opts.tracker) {
        t->set_source_wm(s.tracker_index, s.filter->watermark());
        t->advance([self](const caf::actor& who, uint32_t band, int64_t f) {
          self->send(who, frontier_atom_v, band, f);
        });
      }
      self->delayed_send(self, s.opts.tick, caf::tick_atom_v);
    },
    [=](src_need_atom, int64_t ts, uint32_t index) {
      self->state.router->request(index, ts);
    },
    [=](done_atom) {
      // End of stream: what was generated is sent, then wm_end to all.
      auto& s = self->state;
      s.router->flush(self, wm_end);
      if (s.opts.tracker)
        s.opts.tracker->set_source_wm(s.tracker_index, wm_end);
      self->quit();
    },
    [=](stats_atom) {
      return self->state.filter->counts();
    },
  };
}

} // namespace shoal
