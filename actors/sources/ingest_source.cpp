#include "actors/sources/ingest_source.hpp"

#include <algorithm>
#include <string>

#include "caf/all.hpp"

#include "actors/messages.hpp"
#include "runtime/core/counters.hpp"
#include "runtime/core/metrics.hpp"
#include "runtime/semantics/reject_texts.hpp"

namespace shoal {

namespace {

using self_ptr = caf::stateful_actor<ingest_source_state>*;

/// Counts one rejection in the source's reject log, and logs its reason
/// the first time it is seen.
void record(ingest_source_state& s, const reject_event& e) {
  auto first = s.rejects.add(e);
  if (first == nullptr)
    return;
  s.opts.log->write_event(log_level::warning,
                          "shoal-node: rejected input: " + first->text
                            + (first->example.empty()
                                 ? std::string{}
                                 : " (first: " + first->example + ")"),
                          {{"source", s.opts.name},
                           {"reason", first->reason},
                           {"sensor", first->sensor},
                           {"origin", first->origin}});
}

/// Records why the filter rejected sample `x`, or that the sensor will
/// reject it as out of order; true if it was rejected here.
void note_sample(ingest_source_state& s, const inbox_sample& x,
                 const verdict& v, int64_t now) {
  reject_event e;
  if (v.accepted) {
    // The common case: no text, no allocation.
    auto& last = s.last_ts[v.sensor];
    if (x.ts > last) {
      last = x.ts;
      return;
    }
    e.reason = reject_reason::out_of_order;
  } else {
    e.reason = v.reason;
    if (v.reason == reject_reason::unknown_sensor)
      s.rejects.add_unknown(x.sensor);
  }
  e.now_ns = now;
  e.sensor = x.sensor;
  auto example = sample_example(x.sensor, x.ts, x.value);
  e.example = example;
  auto text = sample_reject_text(e.reason, x.ts, now);
  e.text = text;
  record(s, e);
}

/// Offers everything waiting in the inbox to the filter and the router.
void drain(self_ptr self) {
  auto& s = self->state;
  s.inbox->drain(s.samples, s.notices);
  auto now = s.opts.clock->now_ns();
  uint64_t rejected = 0;
  for (auto& n : s.notices) {
    for (uint64_t i = 0; i < n.count; ++i)
      s.filter->count_malformed();
    rejected += n.count;
    if (s.malformed.size() < max_malformed_lines)
      s.malformed.push_back(n.origin + ": " + n.reason);
    auto text = malformed_text(n.reason);
    reject_event e;
    e.text = text;
    e.origin = n.origin;
    e.example = n.example;
    e.now_ns = now;
    e.count = n.count;
    record(s, e);
  }
  for (auto& x : s.samples) {
    auto v = s.filter->offer(x.sensor, x.ts, x.value);
    note_sample(s, x, v, now);
    if (v.accepted) {
      s.router->add(v.sensor, {x.ts, x.value});
      continue;
    }
    ++rejected;
    if (v.reason == reject_reason::late) {
      // Seconds or milliseconds read as nanoseconds: decades late.
      auto unit = timestamp_unit_guess(x.ts, now);
      if (unit != nullptr && s.warned_units.insert(x.sensor).second)
        logf(*s.opts.log, log_level::warning,
             {{"event", "timestamp_unit"},
              {"sensor", x.sensor},
              {"ts", x.ts},
              {"unit", unit}},
             "shoal-node: sensor %s: timestamp %lld looks like %s since the "
             "epoch; Shoal reads timestamps as nanoseconds, so its samples "
             "are rejected as late (this is said once per sensor)",
             escape_bytes(x.sensor, reject_log::max_example).c_str(),
             static_cast<long long>(x.ts), unit);
    }
    // A timestamp on a watermark sentinel: say so next to the parse errors.
    if (v.reason == reject_reason::malformed
        && s.malformed.size() < max_malformed_lines)
      s.malformed.push_back(x.sensor + ": timestamp " + std::to_string(x.ts)
                            + " is reserved (watermark sentinel)");
  }
  s.opts.live->add_samples(0, rejected);
}

/// Declares the watermark to the progress tracker, if any.
void advance(self_ptr self) {
  auto& s = self->state;
  if (auto& t = s.opts.tracker) {
    t->set_source_wm(s.tracker_index, s.filter->watermark());
    t->advance([self](const caf::actor& who, uint32_t band, int64_t f) {
      self->send(who, frontier_atom_v, band, f);
    });
  }
}

} // namespace

caf::behavior ingest_source(self_ptr self, std::shared_ptr<sample_inbox> inbox,
                            std::shared_ptr<const sensor_directory> dir,
                            std::vector<caf::actor> sensors, uint64_t key,
                            live_options opts) {
  auto& st = self->state;
  st.inbox = std::move(inbox);
  st.dir = std::move(dir);
  st.opts = std::move(opts);
  if (auto err = start_live_ingest(st, key, std::move(sensors),
                                   st.opts.clock->now_ns())) {
    self->quit(std::move(err));
    return {};
  }
  st.last_ts.assign(st.dir->size(), wm_none);
  return {
    [=](caf::tick_atom) {
      auto& s = self->state;
      if (s.done)
        return;
      drain(self);
      s.filter->set_watermark(s.opts.clock->now_ns()
                              - s.opts.allowed_lateness_ns);
      s.router->flush(self, s.filter->watermark());
      advance(self);
      self->delayed_send(self, s.opts.tick, caf::tick_atom_v);
    },
    [=](src_need_atom, int64_t ts, uint32_t index) {
      self->state.router->request(index, ts);
    },
    [=](stats_atom) {
      auto& s = self->state;
      return caf::make_message(s.filter->counts(), s.malformed,
                               s.inbox->overflow());
    },
    [=](stats_atom, caf::get_atom) {
      auto& s = self->state;
      auto wm = s.filter->watermark();
      int64_t lag = wm == wm_end || wm == wm_none
                      ? int64_t{-1}
                      : std::max(int64_t{0}, s.opts.clock->now_ns() - wm);
      return caf::make_message(s.opts.name, wm, lag,
                               static_cast<uint64_t>(s.inbox->size()),
                               s.inbox->full(), s.inbox->overflow());
    },
    [=](reject_atom) {
      // Named here, so that a member's merged log says which source.
      reject_log named;
      named.merge(self->state.rejects, self->state.opts.name);
      return named;
    },
    [=](rebind_atom, std::vector<std::string>& names,
        std::vector<caf::actor>& fed) {
      auto& s = self->state;
      if (s.done)
        return;
      // What was accepted goes to the sensors it was accepted for.
      auto wm = s.filter->watermark();
      s.router->flush(self, wm);
      auto source_key = s.router->key();
      for (auto& old : s.router->sensors())
        if (std::find(fed.begin(), fed.end(), old) == fed.end())
          self->send(old, detach_atom_v, source_key, wm);
      s.dir = std::make_shared<sensor_directory>(std::move(names));
      s.filter->rebind(*s.dir);
      s.last_ts.assign(s.dir->size(), wm_none);
      // Attached before the first batch on the same channel; a sensor
      // attached already keeps its place and forgets what it asked.
      auto me = caf::actor_cast<caf::actor>(self);
      for (uint32_t i = 0; i < fed.size(); ++i)
        self->send(fed[i], attach_atom_v, me, source_key, i);
      s.router = std::make_unique<ingest_router>(source_key, std::move(fed),
                                                 s.opts.live);
    },
    [=](caf::ok_atom) {
      // A sensor confirmed an attach sent by rebind.
    },
    [=](swap_atom, const caf::actor& from, caf::actor& to) {
      auto& s = self->state;
      s.router->swap_sensor(self, from, std::move(to), s.filter->watermark());
    },
    [=](done_atom) {
      auto& s = self->state;
      if (s.done)
        return;
      s.done = true;
      drain(self);
      s.filter->finish();
      s.router->flush(self, wm_end);
      advance(self);
    },
  };
}

} // namespace shoal
