#include "actors/cluster/replay_session.hpp"

#include <memory>
#include <unordered_map>

#include "caf/all.hpp"

#include "actors/cluster/member_actor.hpp"
#include "actors/dataflow/sink_actor.hpp"
#include "actors/messages.hpp"
#include "actors/sources/replay_source.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/io/csv.hpp"

namespace shoal {

namespace {

/// Delivers the replay's rows once both its source and its sink are done.
void finish_replay(member_self self) {
  auto& st = self->state;
  auto run = st.replay;
  if (!run || !run->source_done || !run->sink_done)
    return;
  // The graph runs on: the file's end was its source leaving.
  st.replay = nullptr;
  if (!run->error.empty())
    run->rp.deliver(make_error(errc::io_error, run->error));
  else
    run->rp.deliver(std::move(run->out->rows));
}

/// Streams `path` into the deployed graph: a sink on every emitting node, a
/// replay source on every sensor, then start.
caf::error start_replay(member_self self, const std::string& path,
                        caf::response_promise rp) {
  auto& st = self->state;
  auto reader = sample_reader::open(path);
  if (!reader)
    return std::move(reader.error());
  auto& dir = st.coordinator.dir;
  std::vector<std::string> sensor_names;
  std::vector<caf::actor> sensors;
  std::vector<caf::actor> emitting;
  std::vector<std::string> emitting_names;
  for (auto& n : st.coordinator.graph.nodes) {
    if (n.kind == node_kind::sensor) {
      sensor_names.push_back(n.name);
      sensors.push_back(dir.actor_of(n.name));
    }
    if (n.emit) {
      emitting.push_back(dir.actor_of(n.name));
      emitting_names.push_back(n.name);
    }
  }
  auto run = std::make_shared<replay_session>();
  run->rp = std::move(rp);
  run->out = std::make_shared<memory_sink>();
  st.replay = run;
  auto me = caf::actor_cast<caf::actor>(self);
  // Not linked: stopping them must not stop this member.
  auto sink = self->spawn(sink_actor, run->out, me, alert_rule{}, actor_env{});
  auto source_dir = std::make_shared<sensor_directory>(std::move(sensor_names));
  auto key = node_key("source:cluster-replay");
  replay_options opts;
  opts.detach_at_end = true;
  // Smaller chunks than a one-node replay: the graph runs on for other
  // sources and changes, which interleave between chunks.
  opts.chunk_rows = 1024;
  auto source = self->spawn(replay_source, std::string{"replay"},
                            std::make_shared<sample_reader>(std::move(*reader)),
                            source_dir, sensors, key, opts, me);
  run->sink = sink;
  run->source = source;
  auto fail = [=](caf::error& err) {
    auto& s = self->state;
    if (s.replay == run) {
      s.replay = nullptr;
      run->rp.deliver(std::move(err));
    }
    self->send_exit(source, caf::exit_reason::user_shutdown);
    self->send_exit(sink, caf::exit_reason::user_shutdown);
  };
  self
    ->request(sink, std::chrono::minutes(2), wire_atom_v, emitting,
              emitting_names)
    .then(
      [=](caf::ok_atom) {
        auto attached = std::make_shared<size_t>(sensors.size());
        if (sensors.empty())
          self->send(source, start_atom_v);
        for (uint32_t i = 0; i < sensors.size(); ++i)
          self
            ->request(sensors[i], std::chrono::minutes(2), attach_atom_v,
                      source, key, i)
            .then(
              [=](caf::ok_atom) {
                if (--*attached == 0)
                  self->send(source, start_atom_v);
              },
              fail);
      },
      fail);
  return caf::none;
}

} // namespace

void fail_replay(member_self self, const std::string& why) {
  auto& st = self->state;
  auto run = st.replay;
  if (!run)
    return;
  st.replay = nullptr;
  run->rp.deliver(make_error(errc::io_error, why));
  self->send_exit(run->source, caf::exit_reason::user_shutdown);
  self->send_exit(run->sink, caf::exit_reason::user_shutdown);
}

void sync_replay_sink(member_self self) {
  auto& st = self->state;
  if (!st.replay || !st.replay->sink)
    return;
  auto& dir = st.coordinator.dir;
  std::vector<caf::actor> emitting;
  std::vector<std::string> names;
  for (auto& n : st.coordinator.graph.nodes)
    if (n.emit) {
      emitting.push_back(dir.actor_of(n.name));
      names.push_back(n.name);
    }
  self->send(st.replay->sink, sync_atom_v, emitting, names);
}

caf::message_handler replay_handlers(member_self self) {
  return {
    [=](replay_atom,
        const std::string& path) -> caf::result<std::vector<output_row>> {
      auto& st = self->state;
      if (st.replay)
        return make_error(errc::invalid_config,
                          "another replay is under way at this member");
      if (!st.coordinator.deployed)
        return make_error(errc::not_found,
                          "no graph is deployed: apply one first");
      auto rp = self->make_response_promise();
      if (auto err = start_replay(self, path, rp))
        // The promise holds the request now: the error goes through it.
        rp.deliver(std::move(err));
      return caf::delegated<std::vector<output_row>>{};
    },
    [=](report_atom, const std::string&, const ingest_counts&,
        const std::vector<uint64_t>&, const std::string& read_error) {
      if (auto& run = self->state.replay) {
        run->source_done = true;
        if (!read_error.empty())
          run->error = read_error;
        finish_replay(self);
      }
    },
    [=](until_atom, int64_t t) {
      // The replay source reached its end of file at T = t.
      if (auto& run = self->state.replay)
        self->send(run->sink, until_atom_v, t);
    },
    [=](caf::ok_atom) {
      // The replay sink confirmed a sync.
    },
    [=](done_atom, uint64_t, const caf::error& err) {
      if (auto& run = self->state.replay) {
        run->sink_done = true;
        if (err && run->error.empty())
          run->error = describe(err);
        finish_replay(self);
      }
    },
  };
}

} // namespace shoal
