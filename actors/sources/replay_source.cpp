#include "actors/sources/replay_source.hpp"

#include <algorithm>
#include <chrono>

#include "caf/all.hpp"

#include "actors/dataflow/backlog.hpp"
#include "actors/dataflow/pacing.hpp"
#include "actors/messages.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/metrics.hpp"
#include "runtime/functions/fn_state.hpp"

namespace shoal {

namespace {

using self_ptr = caf::stateful_actor<replay_source_state>*;

/// Consecutive 1 ms pauses before reading on regardless.
constexpr int max_pauses = 1000;

void finish(self_ptr self) {
  auto& st = self->state;
  if (auto& err = st.reader->error())
    // A read error ends the stream early; what was read stands, and the
    // error is reported in the source's report.
    st.read_error = describe(err);
  if (st.opts.detach_at_end) {
    auto last = st.filter->max_accepted();
    st.router->flush(self, last);
    for (auto& sensor : st.router->sensors())
      self->send(sensor, detach_atom_v, st.router->key(), last);
    if (st.monitor)
      self->send(st.monitor, until_atom_v, last);
  } else {
    st.filter->finish();
    st.router->flush(self, wm_end);
  }
  if (st.monitor)
    self->send(st.monitor, report_atom_v, st.label, st.filter->counts(),
               st.malformed_lines, st.read_error);
  self->quit();
}

/// Acknowledges the piece held back once the pieces before it were read.
void release_held(self_ptr self) {
  auto& st = self->state;
  if (st.held.pending() && st.opts.feed->buffered() <= st.held_bytes)
    st.held.deliver(caf::ok_atom_v);
}

/// Reads one chunk; returns `sample` while more follows, `pending` when a
/// streamed input ran dry, `end` at end of file.
row_kind read_chunk(self_ptr self) {
  auto& st = self->state;
  sample_row row;
  for (size_t i = 0; i < st.opts.chunk_rows; ++i) {
    switch (st.reader->next(row)) {
      case row_kind::sample: {
        auto v = st.filter->offer(row.sensor, row.ts, row.value);
        if (v.accepted) {
          st.router->add(v.sensor, {row.ts, row.value});
          break;
        }
        st.opts.live->add_samples(0, 1);
        // A timestamp on a watermark sentinel: a malformed row, listed too.
        if (v.reason == reject_reason::malformed
            && st.malformed_lines.size() < max_malformed_lines)
          st.malformed_lines.push_back(st.reader->line_number());
        break;
      }
      case row_kind::malformed:
        st.filter->count_malformed();
        st.opts.live->add_samples(0, 1);
        if (st.malformed_lines.size() < max_malformed_lines)
          st.malformed_lines.push_back(st.reader->line_number());
        break;
      case row_kind::end: return row_kind::end;
      case row_kind::pending: return row_kind::pending;
    }
  }
  return row_kind::sample;
}

/// One member answered (or could not): the next chunk is read once every
/// member did.
void paced(self_ptr self) {
  auto& st = self->state;
  if (st.pacing > 0 && --st.pacing == 0 && st.pace_due) {
    st.pace_due = false;
    self->send(self, start_atom_v);
  }
}

/// Asks one sensor on every other member to answer once that member's
/// backlog is low (actors/dataflow/pacing.hpp).
void pace_members(self_ptr self) {
  auto& st = self->state;
  std::vector<caf::node_id> asked;
  for (auto& sensor : st.router->sensors()) {
    if (!sensor || runs_here(sensor))
      continue;
    auto node = sensor.node();
    if (std::find(asked.begin(), asked.end(), node) != asked.end())
      continue;
    asked.push_back(node);
    ++st.pacing;
    self->request(sensor, pace_timeout, pace_atom_v, st.opts.max_backlog)
      .then(
        [=](caf::ok_atom) {
          paced(self);
        },
        [=](caf::error&) {
          // Timed out, or the sensor is gone: read on.
          paced(self);
        });
  }
}

/// Marks the round asked for after what was read: tells the monitor where
/// the source is and sends what it read to every sensor with the mark
/// (actors/dataflow/checkpoint_marks.hpp). Reading goes on: what follows
/// a mark waits at each sensor and node until it took its part.
void mark_round(self_ptr self) {
  auto& st = self->state;
  auto k = st.want;
  st.want = 0;
  // The position first: the monitor has it before anything the marks
  // cause reaches it.
  replay_position pos;
  pos.at = st.reader->where();
  state_writer w;
  st.filter->save(w);
  pos.filter = std::move(w.bytes());
  pos.malformed_lines = st.malformed_lines;
  if (st.monitor)
    self->send(st.monitor, ckpt_atom_v, k, pos.at.offset, pos.encode());
  st.router->flush(self, st.filter->watermark(), k);
  st.marked = k;
}

} // namespace

std::string replay_position::encode() const {
  state_writer w;
  w.put(at.offset);
  w.put(at.line);
  w.put(static_cast<uint8_t>(at.skipping ? 1 : 0));
  w.put_string(filter);
  w.put(static_cast<uint64_t>(malformed_lines.size()));
  for (auto x : malformed_lines)
    w.put(x);
  return std::move(w.bytes());
}

bool replay_position::decode(const std::string& bytes) {
  state_reader r{bytes};
  at.offset = r.get<uint64_t>();
  at.line = r.get<uint64_t>();
  at.skipping = r.get<uint8_t>() != 0;
  filter = r.get_string();
  auto n = r.get<uint64_t>();
  if (!r.ok() || n > max_malformed_lines)
    return false;
  malformed_lines.clear();
  for (uint64_t i = 0; i < n; ++i)
    malformed_lines.push_back(r.get<uint64_t>());
  return r.ok() && r.done();
}

caf::behavior replay_source(self_ptr self, std::string label,
                            std::shared_ptr<sample_reader> reader,
                            std::shared_ptr<const sensor_directory> dir,
                            std::vector<caf::actor> sensors, uint64_t key,
                            replay_options opts, caf::actor monitor) {
  auto& st = self->state;
  st.label = std::move(label);
  st.reader = std::move(reader);
  st.dir = std::move(dir);
  st.filter
    = std::make_unique<source_filter>(*st.dir, opts.allowed_lateness_ns, true);
  st.router
    = std::make_unique<ingest_router>(key, std::move(sensors), opts.live);
  st.opts = opts;
  st.monitor = std::move(monitor);
  if (!st.opts.resume.empty()) {
    // Going on from a checkpoint: the reader starts at the position, the
    // filter and the malformed lines are as they were there.
    replay_position pos;
    if (pos.decode(st.opts.resume)) {
      state_reader r{pos.filter};
      st.filter->load(r);
      st.malformed_lines = std::move(pos.malformed_lines);
    }
  }
  return {
    [=](start_atom) {
      auto& s = self->state;
      // Every other member took the last chunk in.
      if (s.pacing > 0) {
        s.pace_due = true;
        return;
      }
      // Pace on the process's mailbox backlog, but never stall for good:
      // the gauge is process-wide and only approximate.
      if (s.opts.live->backlog() > s.opts.max_backlog
          && s.paused < max_pauses) {
        ++s.paused;
        self->delayed_send(self, std::chrono::milliseconds(1), start_atom_v);
        return;
      }
      s.paused = 0;
      auto got = read_chunk(self);
      if (s.opts.feed)
        release_held(self);
      if (got == row_kind::end && s.want == 0) {
        finish(self);
        return;
      }
      // A round asked for: its mark goes on this chunk's batches (and the
      // end, if this was it, comes with the next start).
      if (s.want != 0)
        mark_round(self);
      else
        s.router->flush(self, s.filter->watermark());
      pace_members(self);
      if (got == row_kind::pending) {
        s.waiting = true;
        return;
      }
      self->send(self, start_atom_v);
    },
    [=](chunk_atom, std::string& bytes,
        bool last) -> caf::result<caf::ok_atom> {
      auto& s = self->state;
      if (!s.opts.feed || s.opts.feed->closed())
        return make_error(errc::invalid_input,
                          "this replay takes no more input");
      if (s.held.pending())
        return make_error(errc::invalid_input,
                          "a piece came before the one before it was "
                          "acknowledged");
      auto behind = s.opts.feed->buffered();
      auto size = bytes.size();
      s.opts.feed->push(std::move(bytes));
      if (last)
        s.opts.feed->close();
      if (s.waiting) {
        s.waiting = false;
        self->send(self, start_atom_v);
      }
      if (behind == 0)
        return caf::ok_atom_v;
      s.held = self->make_response_promise();
      s.held_bytes = size;
      return caf::delegated<caf::ok_atom>{};
    },
    [=](src_need_atom, int64_t ts, uint32_t index) {
      auto& s = self->state;
      s.router->request(index, ts);
      s.router->flush(self, s.filter->watermark());
    },
    [=](swap_atom, const caf::actor& from, caf::actor& to) {
      auto& s = self->state;
      s.router->swap_sensor(self, from, std::move(to), s.filter->watermark());
    },
    [=](ckpt_atom, uint64_t k) {
      // The mark goes on the next chunk read (checkpoint_marks.hpp).
      auto& s = self->state;
      if (k <= s.want || k <= s.marked)
        return;
      s.want = k;
      self->delayed_send(self, mark_patience, mark_atom_v, k);
    },
    [=](mark_atom, uint64_t k) {
      // No chunk came since round k was asked for: it is marked alone.
      if (self->state.want == k)
        mark_round(self);
    },
  };
}

} // namespace shoal
