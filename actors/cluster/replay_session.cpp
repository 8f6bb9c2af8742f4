#include "actors/cluster/replay_session.hpp"

#include <chrono>
#include <memory>

#include "caf/all.hpp"

#include "actors/cluster/checkpointer.hpp"
#include "actors/cluster/member_actor.hpp"
#include "actors/cluster/replay_resume.hpp"
#include "actors/cluster/request_window.hpp"
#include "actors/dataflow/sink_actor.hpp"
#include "actors/messages.hpp"
#include "actors/sources/replay_source.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/log_sink.hpp"
#include "runtime/io/byte_source.hpp"
#include "runtime/io/csv.hpp"

namespace shoal {

namespace {

using run_ptr = std::shared_ptr<replay_session>;

caf::error replay_error(const std::string& why) {
  return make_error(errc::io_error, why);
}

/// The source and sink of the replay under way are being stopped: a
/// round under way waits for neither.
void stop_round_waits(member_self self) {
  replay_part_source_done(self);
  replay_part_sink_done(self);
}

/// Stops the source and sink of `run` and forgets it.
void end_session(member_self self, const run_ptr& run) {
  auto& st = self->state.replay;
  if (st.run == run)
    st.run = nullptr;
  if (run->client)
    self->demonitor(run->client);
  self->send_exit(run->source, caf::exit_reason::user_shutdown);
  self->send_exit(run->sink, caf::exit_reason::user_shutdown);
  stop_round_waits(self);
}

/// How long a waiting fetch goes before looking for new outputs again: the
/// sink writes them to the buffer, not to this actor.
constexpr auto fetch_tick = std::chrono::milliseconds(5);

/// Logs the end of `run` (`error` empty: it reached its input's end).
void log_replay_end(member_self self, const replay_session& run,
                    const std::string& error) {
  auto ms = std::chrono::duration<double, std::milli>(
              std::chrono::steady_clock::now() - run.started)
              .count();
  log_fields fields{
    {"event", error.empty() ? "replay_finished" : "replay_failed"},
    {"replay", run.name},
    {"session", run.id},
    {"samples", run.samples.accepted},
    {"rejected", run.samples.rejected_total()},
    {"outputs", run.out ? run.out->end() : 0},
    {"ms", ms}};
  auto& name = self->state.opts.name;
  if (!error.empty()) {
    fields.emplace_back("error", error);
    logf(*self->state.opts.log, log_level::warning, fields,
         "shoal-node: member %s: replay %s failed: %s", name.c_str(),
         run.name.c_str(), error.c_str());
    return;
  }
  logf(*self->state.opts.log, log_level::info, fields,
       "shoal-node: member %s: replay %s finished", name.c_str(),
       run.name.c_str());
}

/// Answers the client's fetch, if one is pending: with the outputs from
/// the index it asked for, once there are some, the replay is over (the last
/// page says `end`), or at once if it may not wait.
void serve_fetch(member_self self) {
  auto run = self->state.replay.run;
  if (!run || !run->fetch_rp.pending())
    return;
  if (!run->error.empty()) {
    end_session(self, run);
    run->fetch_rp.deliver(replay_error(run->error));
    return;
  }
  // Checked before taking: once both are done no output comes any more.
  auto over = run->source_done && run->sink_done;
  auto pg = run->out->take(run->fetch_next);
  if (!pg) {
    run->fetch_rp.deliver(std::move(pg.error()));
    return;
  }
  auto end = over && pg->first + pg->rows.size() == run->out->end();
  if (pg->rows.empty() && !end && run->fetch_waits) {
    if (!run->tick_scheduled) {
      run->tick_scheduled = true;
      self->delayed_send(self, fetch_tick, replay_atom_v, fetch_atom_v,
                         run->id);
    }
    return;
  }
  replay_page res;
  res.session = run->id;
  res.first = pg->first;
  res.rows = std::move(pg->rows);
  res.full = run->out->full();
  res.end = end;
  res.held_most = run->out->peak();
  if (end) {
    res.samples = run->samples;
    res.malformed_lines = run->malformed_lines;
    log_replay_end(self, *run, std::string{});
    // The graph runs on: the input's end was its source leaving.
    self->state.replay.run = nullptr;
    if (run->client)
      self->demonitor(run->client);
  }
  run->fetch_rp.deliver(std::move(res));
}

/// The session `id` if it is the one under way; an error otherwise, and
/// the reason of a failed one (which ends with it).
caf::expected<run_ptr> session(member_self self, uint64_t id) {
  auto run = self->state.replay.run;
  if (!run || run->id != id)
    return make_error(errc::not_found, "no replay session " + std::to_string(id)
                                         + " is under way at this member");
  if (!run->error.empty()) {
    end_session(self, run);
    return replay_error(run->error);
  }
  return run;
}

/// Opens a session on the first chunk `c` of the input called `name`: a
/// sink on every emitting node, a replay source on every sensor, then start.
caf::expected<replay_ack>
start_replay(member_self self, const std::string& name, replay_chunk& c) {
  auto& st = self->state;
  auto size = c.data.size();
  auto run = std::make_shared<replay_session>();
  run->name = name;
  // The input from the last committed checkpoint on is kept, so that the
  // replay can go on from there after a member's death (replay_resume.hpp).
  run->resume.on = st.opts.store && st.opts.checkpoint_interval.count() > 0;
  run->resume.opened_after = st.checkpoint.meta.k;
  keep_input(self, *run, c.data);
  auto feed = std::make_shared<chunk_feed>();
  feed->push(std::move(c.data));
  if (c.last)
    feed->close();
  auto reader = sample_reader::open(feed, name);
  if (!reader)
    return std::move(reader.error());
  auto& dir = st.coordinator.dir;
  std::vector<caf::actor> emitting;
  std::vector<std::string> emitting_names;
  for (auto& n : st.coordinator.graph.nodes)
    if (n.emit) {
      emitting.push_back(dir.actor_of(n.name));
      emitting_names.push_back(n.name);
    }
  run->id = ++st.replay.opened;
  run->started = std::chrono::steady_clock::now();
  logf(*st.opts.log, log_level::info,
       {{"event", "replay_started"}, {"replay", name}, {"session", run->id}},
       "shoal-node: member %s: replay %s started", st.opts.name.c_str(),
       name.c_str());
  run->client = caf::actor_cast<caf::actor_addr>(self->current_sender());
  if (run->client)
    self->monitor(run->client);
  run->out = std::make_shared<page_buffer>(st.opts.replay_pages);
  run->next_seq = 1;
  run->next_offset = size;
  run->ended = c.last;
  st.replay.run = run;
  auto me = caf::actor_cast<caf::actor>(self);
  // Not linked: stopping it must not stop this member.
  run->sink = self->spawn(sink_actor, run->out, me, alert_rule{}, actor_env{});
  self->send(run->sink, mark_atom_v);
  auto sink = run->sink;
  auto rd = std::make_shared<sample_reader>(std::move(*reader));
  self
    ->request(sink, std::chrono::minutes(2), wire_atom_v, emitting,
              emitting_names)
    .then(
      [=](caf::ok_atom) {
        if (self->state.replay.run == run && run->error.empty())
          start_replay_source(self, run, feed, rd, std::string{});
      },
      [=](caf::error& err) {
        if (self->state.replay.run == run)
          fail_replay(self, describe(err));
      });
  return replay_ack{run->id, 0, size};
}

/// A piece larger than a client of ours sends is refused, so that no client
/// makes a member hold more than a few of them.
caf::error check_piece_size(const replay_chunk& c) {
  if (c.data.size() <= replay_piece_max_bytes)
    return caf::none;
  return make_error(errc::invalid_input,
                    "replay chunk " + std::to_string(c.seq) + " holds "
                      + std::to_string(c.data.size())
                      + " bytes; a chunk may hold at most "
                      + std::to_string(replay_piece_max_bytes));
}

/// Hands chunk `c` of the session under way to its source; acknowledged
/// once the source took it.
caf::result<replay_ack> take_chunk(member_self self, replay_chunk& c) {
  if (auto err = check_piece_size(c))
    return err;
  auto got = session(self, c.session);
  if (!got)
    return std::move(got.error());
  auto run = std::move(*got);
  if (run->ended)
    return make_error(errc::invalid_input, "the input already ended");
  if (run->in_flight)
    return make_error(errc::invalid_input,
                      "a chunk came before the one before it was "
                      "acknowledged");
  if (c.seq != run->next_seq || c.offset != run->next_offset)
    return make_error(errc::invalid_input,
                      "expected chunk " + std::to_string(run->next_seq)
                        + " at byte " + std::to_string(run->next_offset)
                        + ", got chunk " + std::to_string(c.seq) + " at byte "
                        + std::to_string(c.offset));
  // Back-pressure: outputs must not be lost, so while the client has not
  // fetched enough of them the input waits (it sends this chunk again); so
  // does it while the replay waits to go on from a checkpoint, and while
  // its source has not started yet (the sink is still being wired to the
  // emitting nodes, which takes a while on a large graph).
  if (run->out->full() || !may_take_input(*run) || !run->source)
    return replay_ack{run->id, c.seq, c.offset, false};
  ++run->next_seq;
  run->next_offset += c.data.size();
  run->ended = c.last;
  replay_ack ack{run->id, c.seq, run->next_offset};
  keep_input(self, *run, c.data);
  run->in_flight = true;
  run->chunk_rp = self->make_response_promise<replay_ack>();
  run->chunk_ack = ack;
  auto source = run->source;
  self->request(source, caf::infinite, chunk_atom_v, std::move(c.data), c.last)
    .then(
      [=](caf::ok_atom) {
        release_chunk(*run);
      },
      [=](caf::error& err) {
        if (run->source != source || run->resume.awaiting != 0) {
          // The source went with a member's death; the chunk is kept and
          // goes to the source that resumes from the checkpoint.
          release_chunk(*run);
          return;
        }
        run->in_flight = false;
        if (run->error.empty())
          fail_replay(self, describe(err));
        end_session(self, run);
        if (run->chunk_rp.pending())
          run->chunk_rp.deliver(replay_error(run->error));
      });
  return run->chunk_rp;
}

} // namespace

void start_replay_source(member_self self, std::shared_ptr<replay_session> run,
                         std::shared_ptr<chunk_feed> feed,
                         std::shared_ptr<sample_reader> reader,
                         std::string resume) {
  auto& st = self->state;
  auto& dir = st.coordinator.dir;
  std::vector<std::string> sensor_names;
  std::vector<caf::actor> sensors;
  for (auto& n : st.coordinator.graph.nodes)
    if (n.kind == node_kind::sensor) {
      sensor_names.push_back(n.name);
      sensors.push_back(dir.actor_of(n.name));
    }
  auto me = caf::actor_cast<caf::actor>(self);
  auto source_dir = std::make_shared<sensor_directory>(std::move(sensor_names));
  auto key = node_key("source:cluster-replay");
  replay_options opts;
  opts.detach_at_end = true;
  opts.feed = std::move(feed);
  opts.resume = std::move(resume);
  // A piece (replay_piece_bytes, about 200,000 short rows) is read and
  // flushed at once. Every flush costs a message per sensor and per edge
  // of the graph, most of them between node actors and half of them across
  // members, so 1,024-row chunks made a replay several times slower
  // (docs/performance.md, "The cluster replay"). Other sources and graph
  // changes interleave between pieces.
  opts.chunk_rows = 262144;
  // Not linked: stopping it must not stop this member.
  auto source
    = self->spawn(replay_source, std::string{"replay"}, std::move(reader),
                  source_dir, sensors, key, opts, me);
  run->source = source;
  run->source_done = false;
  auto fail = [=](caf::error& err) {
    if (self->state.replay.run == run && run->source == source)
      fail_replay(self, describe(err));
  };
  // A window of requests, not one per sensor at once (request_window.hpp).
  request_window::run(
    sensors.size(), default_request_window,
    [=](size_t i, request_window::done_fn done) {
      self
        ->request(sensors[i], std::chrono::minutes(2), attach_atom_v, source,
                  key, static_cast<uint32_t>(i), true)
        .then(
          [done](caf::ok_atom) {
            done(true);
          },
          [=](caf::error& err) {
            fail(err);
            done(false);
          });
    },
    [=](bool stopped) {
      if (stopped)
        return;
      // A checkpoint round under way: the source marks it too, on its
      // first chunk (the sensors know by now that it marks rounds and wait
      // for its mark).
      if (auto k = self->state.checkpoint.marking)
        self->send(source, ckpt_atom_v, k);
      self->send(source, start_atom_v);
    });
}

void release_chunk(replay_session& run) {
  if (!run.in_flight)
    return;
  run.in_flight = false;
  if (run.chunk_rp.pending())
    run.chunk_rp.deliver(run.chunk_ack);
}

void fail_replay(member_self self, const std::string& why) {
  auto run = self->state.replay.run;
  if (!run || !run->error.empty())
    return;
  run->error = why;
  log_replay_end(self, *run, why);
  self->send_exit(run->source, caf::exit_reason::user_shutdown);
  // A chunk the source held hears why, too.
  if (run->in_flight && run->chunk_rp.pending()) {
    run->in_flight = false;
    run->chunk_rp.deliver(replay_error(why));
  }
  self->send_exit(run->sink, caf::exit_reason::user_shutdown);
  stop_round_waits(self);
  // The client hears why at its next request (now, if it waits for
  // outputs).
  serve_fetch(self);
}

void sync_replay_sink(member_self self) {
  auto& st = self->state;
  auto run = st.replay.run;
  if (!run || !run->sink || !run->error.empty())
    return;
  auto& dir = st.coordinator.dir;
  std::vector<caf::actor> emitting;
  std::vector<std::string> names;
  for (auto& n : st.coordinator.graph.nodes)
    if (n.emit) {
      emitting.push_back(dir.actor_of(n.name));
      names.push_back(n.name);
    }
  self->send(run->sink, sync_atom_v, emitting, names);
}

void replay_client_down(member_self self, const caf::actor_addr& who) {
  auto run = self->state.replay.run;
  if (run && run->client == who)
    end_session(self, run);
}

caf::message_handler replay_handlers(member_self self) {
  return {
    [=](replay_atom, const std::string& name,
        replay_chunk& c) -> caf::result<replay_ack> {
      auto& st = self->state;
      if (st.replay.run && st.replay.run->error.empty())
        return make_error(errc::invalid_config,
                          "another replay is under way at this member");
      if (!st.coordinator.deployed)
        return make_error(errc::not_found,
                          "no graph is deployed: apply one first");
      if (c.session != 0 || c.seq != 0 || c.offset != 0)
        return make_error(errc::invalid_input,
                          "a replay opens with chunk 0 at byte 0");
      if (auto err = check_piece_size(c))
        return err;
      // A failed session whose client never came back gives way.
      if (st.replay.run)
        end_session(self, st.replay.run);
      auto ack = start_replay(self, name, c);
      if (!ack)
        return std::move(ack.error());
      return *ack;
    },
    [=](replay_atom, replay_chunk& c) -> caf::result<replay_ack> {
      return take_chunk(self, c);
    },
    [=](replay_atom, fetch_atom, uint64_t id,
        uint64_t next) -> caf::result<replay_page> {
      auto run = session(self, id);
      if (!run)
        return std::move(run.error());
      auto& r = **run;
      if (r.fetch_rp.pending())
        return make_error(errc::invalid_input,
                          "a fetch of the outputs is pending already");
      r.fetch_rp = self->make_response_promise();
      r.fetch_next = next;
      // While input is still to come, the client gets what there is and
      // sends more; after its end, it waits for outputs.
      r.fetch_waits = r.ended && !r.in_flight;
      serve_fetch(self);
      return caf::delegated<replay_page>{};
    },
    [=](replay_atom, fetch_atom, uint64_t id) {
      // Look again for outputs for the waiting fetch.
      auto run = self->state.replay.run;
      if (run && run->id == id) {
        run->tick_scheduled = false;
        serve_fetch(self);
      }
    },
    [=](report_atom, const std::string&, const ingest_counts& samples,
        const std::vector<uint64_t>& malformed, const std::string& read_error) {
      auto run = self->state.replay.run;
      // A source replaced after a member's death reports nothing here.
      if (run && self->current_sender() == run->source) {
        run->source_done = true;
        replay_part_source_done(self);
        run->samples = samples;
        run->malformed_lines = malformed;
        if (!read_error.empty() && run->error.empty()) {
          run->error = read_error;
          log_replay_end(self, *run, read_error);
        }
        serve_fetch(self);
      }
    },
    [=](until_atom, int64_t t) {
      // The replay source reached the input's end at T = t.
      auto run = self->state.replay.run;
      if (run && self->current_sender() == run->source)
        self->send(run->sink, until_atom_v, t);
    },
    [=](caf::ok_atom) {
      // The replay sink confirmed a sync.
    },
    [=](replay_atom, ckpt_atom, uint64_t id) {
      // The leader had `restore_patience` to restore the graph.
      auto run = self->state.replay.run;
      if (run && run->id == id && run->resume.awaiting != 0)
        fail_replay(self, "a member died during the replay and the graph "
                          "was not restored from checkpoint "
                            + std::to_string(run->resume.awaiting)
                            + " within 2 min");
    },
    [=](done_atom, uint64_t, const caf::error& err) {
      if (auto run = self->state.replay.run) {
        run->sink_done = true;
        replay_part_sink_done(self);
        if (err && run->error.empty()) {
          run->error = describe(err);
          log_replay_end(self, *run, run->error);
        }
        serve_fetch(self);
      }
    },
  };
}

} // namespace shoal
