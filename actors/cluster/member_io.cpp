#include "actors/cluster/member_io.hpp"

#include <chrono>
#include <cstdio>
#include <unordered_map>

#include "caf/all.hpp"

#include "actors/dataflow/sink_actor.hpp"
#include "actors/deploy/deployment.hpp"
#include "actors/messages.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/log_sink.hpp"

namespace shoal {

caf::expected<std::unique_ptr<member_io>>
member_io::open(io_config cfg, std::string name, log_sink* log) {
  std::unique_ptr<member_io> io{new member_io};
  io->cfg_ = std::move(cfg);
  io->name_ = std::move(name);
  io->log_ = log;
  if (!io->cfg_.sinks.empty()) {
    auto out = open_sinks(io->sinks_, io->cfg_.sinks);
    if (!out)
      return std::move(out.error());
    io->out_ = std::move(*out);
  }
  return io;
}

member_io::~member_io() {
  // The live_io members close their endpoints and join their threads.
}

caf::error member_io::on_deployment(caf::scoped_actor& self,
                                    const graph_spec& g, const directory& dir) {
  if (dir.empty()) {
    end_sources(self);
    sensor_names_.clear();
    sensor_actors_.clear();
    return caf::none;
  }
  std::vector<std::string> sensor_names;
  std::vector<caf::actor> sensor_actors;
  std::vector<caf::actor> emitting;
  std::vector<std::string> emitting_names;
  for (auto& n : g.nodes) {
    auto i = dir.find(n.name);
    if (!i)
      return make_error(errc::not_found,
                        "node '" + n.name + "' is not in the deployment");
    if (n.kind == node_kind::sensor) {
      sensor_names.push_back(n.name);
      sensor_actors.push_back(i->actor);
    }
    if (n.emit) {
      emitting.push_back(i->actor);
      emitting_names.push_back(n.name);
    }
  }
  if (out_) {
    // The first deployment spawns the sink; a changed graph re-syncs it, so
    // outputs already on their way are not lost.
    bool fresh = !sink_;
    if (fresh)
      sink_ = self->spawn(sink_actor, out_, caf::actor_cast<caf::actor>(self),
                          alert_rule{}, actor_env{});
    caf::error err;
    auto wired = [](caf::ok_atom) {};
    auto failed = [&](caf::error& x) {
      err = std::move(x);
    };
    if (fresh)
      self
        ->request(sink_, std::chrono::seconds(30), wire_atom_v, emitting,
                  emitting_names)
        .receive(wired, failed);
    else
      self
        ->request(sink_, std::chrono::seconds(30), sync_atom_v, emitting,
                  emitting_names)
        .receive(wired, failed);
    if (err)
      return make_error(errc::io_error,
                        "cannot wire the sink: " + describe(err));
    logf(*log_, log_level::info,
         {{"event", "sink_wired"}, {"nodes", emitting.size()}},
         "shoal-node: member %s wired its sink to %zu nodes", name_.c_str(),
         emitting.size());
  }
  if (cfg_.sources.empty())
    return caf::none;
  if (sensor_names == sensor_names_ && sensor_actors == sensor_actors_)
    return caf::none;
  sensor_names_ = sensor_names;
  sensor_actors_ = sensor_actors;
  auto running = source_actors();
  if (!running.empty()) {
    // The sensors changed (added, removed, or placed again after a member
    // died): the running sources feed the new set without a restart.
    for (auto& src : running)
      self->send(src, rebind_atom_v, sensor_names, sensor_actors);
    logf(*log_, log_level::info,
         {{"event", "sources_rebound"},
          {"sources", running.size()},
          {"sensors", sensor_actors.size()}},
         "shoal-node: member %s re-bound %zu source%s to %zu sensors",
         name_.c_str(), running.size(), running.size() == 1 ? "" : "s",
         sensor_actors.size());
    return caf::none;
  }
  deployment d;
  d.sensor_actors = std::move(sensor_actors);
  d.sensors = std::make_shared<sensor_directory>(std::move(sensor_names));
  live_io started;
  auto err = start_sources(started, self, d, cfg_.sources, name_);
  std::lock_guard<std::mutex> guard{mtx_};
  sources_ = std::move(started);
  if (err)
    return err;
  logf(*log_, log_level::info,
       {{"event", "sources_started"}, {"sources", cfg_.sources.size()}},
       "shoal-node: member %s started %zu source%s", name_.c_str(),
       cfg_.sources.size(), cfg_.sources.size() == 1 ? "" : "s");
  return caf::none;
}

void member_io::end_sources(caf::scoped_actor& self) {
  live_io old;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    std::swap(old, sources_);
  }
  for (auto& src : old.sources) {
    self->send(src, done_atom_v);
    self->send_exit(src, caf::exit_reason::user_shutdown);
  }
  // `old` closes the endpoints here, outside the lock.
}

void member_io::stop(caf::scoped_actor& self) {
  end_sources(self);
  if (sink_)
    self->send_exit(sink_, caf::exit_reason::user_shutdown);
  sink_ = nullptr;
}

std::vector<endpoint_status> member_io::status() const {
  std::lock_guard<std::mutex> guard{mtx_};
  auto xs = sinks_.status();
  auto ys = sources_.status();
  xs.insert(xs.end(), ys.begin(), ys.end());
  return xs;
}

std::vector<source_readiness> member_io::readiness() const {
  std::vector<source_readiness> xs;
  std::lock_guard<std::mutex> guard{mtx_};
  for (size_t i = 0; i < cfg_.sources.size(); ++i) {
    auto& spec = cfg_.sources[i];
    source_readiness x;
    x.label = "source #" + std::to_string(i + 1) + " (";
    if (spec.kind == source_kind::mqtt)
      x.label
        += "mqtt " + spec.broker.to_string() + " " + topic_list(spec) + ")";
    else
      x.label += "tcp " + spec.listen.to_string() + ")";
    // start_sources adds the endpoints in configuration order and stops at
    // the first that fails: the first ones are those that started.
    if (i < sources_.endpoints.size()) {
      auto st = sources_.endpoints[i]->status();
      x.started = true;
      x.connected = st.connected;
      x.subscribed = st.ready;
    }
    xs.push_back(std::move(x));
  }
  return xs;
}

std::vector<caf::actor> member_io::source_actors() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return sources_.sources;
}

} // namespace shoal
