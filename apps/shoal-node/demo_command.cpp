// `shoal-node` with no arguments: the simulated plant, live.

#include <atomic>
#include <chrono>
#include <cinttypes>
#include <csignal>
#include <cstdio>
#include <optional>
#include <thread>

#include "caf/all.hpp"

#include "actors/deploy/deployment.hpp"
#include "actors/deploy/local_replay.hpp"
#include "actors/deploy/system_config.hpp"
#include "actors/messages.hpp"
#include "actors/sources/live_io.hpp"
#include "actors/sources/sim_source.hpp"
#include "apps/shoal-node/demo_status.hpp"
#include "apps/shoal-node/node_commands.hpp"
#include "apps/shoal-node/plant_publisher.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/metrics.hpp"
#include "runtime/graph/graph_load.hpp"

namespace shoal {

namespace {

std::atomic<bool> stop_requested{false};

extern "C" void on_signal(int) {
  stop_requested = true;
}

struct sink_stats {
  uint64_t outputs = 0;
  int64_t p50 = 0;
  int64_t p99 = 0;
  int64_t max = 0;
  uint64_t alerting = 0;
};

/// The sink's figures, or none if it did not answer within 5 s (a graph
/// that falls behind).
std::optional<sink_stats> query_sink(caf::scoped_actor& self,
                                     const caf::actor& sink) {
  std::optional<sink_stats> s;
  self->request(sink, std::chrono::seconds(5), stats_atom_v)
    .receive(
      [&](uint64_t outputs, int64_t p50, int64_t p99, int64_t max,
          uint64_t alerting) {
        s = sink_stats{outputs, p50, p99, max, alerting};
      },
      [&](caf::error&) {});
  return s;
}

/// The histogram of every output's latency since start, as
/// latency_histogram::to_numbers (empty if the sink did not answer).
std::vector<uint64_t> query_latency(caf::scoped_actor& self,
                                    const caf::actor& sink) {
  std::vector<uint64_t> xs;
  self->request(sink, std::chrono::seconds(5), latency_atom_v, caf::get_atom_v)
    .receive(
      [&](std::vector<uint64_t>& got) {
        xs = std::move(got);
      },
      [&](caf::error&) {});
  return xs;
}

} // namespace

int demo_command(const node_args& args, const std::string& demo_graph) {
  net_address broker;
  if (!args.mqtt.empty()) {
    auto addr = parse_mqtt_url(args.mqtt);
    if (!addr) {
      std::fprintf(stderr, "shoal-node: --mqtt: %s\n",
                   describe(addr.error()).c_str());
      return 2;
    }
    broker = *addr;
  }
  auto g = load_graph(demo_graph);
  if (!g) {
    std::fprintf(stderr, "shoal-node: %s\n", describe(g.error()).c_str());
    return 2;
  }
  caf::actor_system_config cfg;
  auto threads = scheduler_threads(args.threads);
  configure_system(cfg, threads);
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  auto monitor = caf::actor_cast<caf::actor>(self);
  // Alerting in the status line: anomaly scores of 0.5 and above.
  alert_rule alert{".anomaly", 0.5};
  size_t emitting = 0;
  size_t scored = 0;
  for (auto& n : g->nodes) {
    emitting += n.emit ? 1 : 0;
    if (n.emit && alert.covers(n.name))
      ++scored;
  }
  deploy_options dopts;
  dopts.track_progress = true;
  dopts.cell_groups = args.cell_groups;
  auto d = deploy_with_sink(self, *g, std::make_shared<discard_sink>(), monitor,
                            alert, dopts);
  if (!d) {
    std::fprintf(stderr, "shoal-node: %s\n", describe(d.error()).c_str());
    return 1;
  }
  sim_options opts;
  opts.tracker = d->tracker;
  // Either the plant feeds the graph directly, or it publishes to a broker
  // and an MQTT source subscribes (`--mqtt`).
  live_io io;
  std::unique_ptr<plant_publisher> publisher;
  caf::actor source;
  // Errors from here on must stop the graph's actors, or the actor system
  // would wait for them forever.
  auto fail = [&](const caf::error& err) {
    std::fprintf(stderr, "shoal-node: %s\n", describe(err).c_str());
    stop_deployment(self, *d, source);
    return 1;
  };
  if (!args.mqtt.empty()) {
    source_spec spec;
    spec.kind = source_kind::mqtt;
    spec.url = args.mqtt;
    spec.broker = broker;
    spec.topic = "+/+";
    spec.qos = 0;
    // The plant publishes from this process and only while it runs, so the
    // broker has nothing to keep; a clean session also lets two demos
    // share a broker without taking each other's client id.
    spec.session = mqtt_session::clean;
    spec.allowed_lateness_ns = opts.allowed_lateness_ns;
    if (auto err = start_sources(io, self, *d, {spec}, "demo"))
      return fail(err);
    source = io.sources.front();
    publisher = std::make_unique<plant_publisher>(broker, opts.plant);
    if (auto err = publisher->start())
      return fail(err);
    std::fprintf(stderr,
                 "shoal-node: demo: the plant publishes to %s (topics "
                 "pumpNN/<sensor>), an MQTT source subscribes to +/+\n",
                 args.mqtt.c_str());
  } else {
    auto key = node_key("source:sim");
    source = self->spawn(sim_source, d->sensors, d->sensor_actors, key, opts);
    if (auto err = attach_source(self, *d, source, key))
      return fail(err);
    self->send(source, caf::tick_atom_v);
  }
  plant_sim probe{opts.plant};
  std::fprintf(stderr,
               "shoal-node: demo: a simulated plant of %d pumps, %zu sensors "
               "at about %.0f samples/s\n"
               "  graph %s: %zu nodes (%zu derived, %zu emitting) on %zu "
               "threads; allowed lateness %.0f ms\n"
               "  latency is from a sample's timestamp (its arrival) to the "
               "output it causes; Ctrl-C stops\n",
               opts.plant.pumps, probe.sensor_names().size(),
               probe.samples_per_second(), demo_graph.c_str(), g->nodes.size(),
               d->derived, emitting, threads,
               static_cast<double>(opts.allowed_lateness_ns) / 1e6);
  std::unique_ptr<demo_status> page;
  if (!args.http.empty()) {
    auto opened = demo_status::start(args.http, *g);
    if (!opened) {
      std::fprintf(stderr, "shoal-node: --http %s: %s\n", args.http.c_str(),
                   describe(opened.error()).c_str());
      publisher.reset();
      stop_deployment(self, *d, source);
      return 2;
    }
    page = std::move(*opened);
    std::fprintf(stderr, "shoal-node: demo: status page on http://%s/\n",
                 page->address().c_str());
  }
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  auto& m = process_metrics();
  auto started = std::chrono::steady_clock::now();
  auto last_samples = m.samples_accepted();
  auto last_firings = m.firings();
  auto last_tick = started;
  uint64_t last_outputs = 0;
  for (int second = 1; !stop_requested; ++second) {
    auto next = started + std::chrono::seconds(second);
    while (!stop_requested && std::chrono::steady_clock::now() < next)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    auto now = std::chrono::steady_clock::now();
    double dt = std::chrono::duration<double>(now - last_tick).count();
    last_tick = now;
    auto stats = query_sink(self, d->sink);
    auto samples = m.samples_accepted();
    auto firings = m.firings();
    if (stats)
      std::fprintf(stderr,
                   "[%4ds] samples/s %7.0f  firings/s %8.0f  outputs/s %7.0f  "
                   "latency p50 %6.1f ms p99 %6.1f ms  pumps alerting %" PRIu64
                   "/%zu  errors %" PRIu64 "\n",
                   second, static_cast<double>(samples - last_samples) / dt,
                   static_cast<double>(firings - last_firings) / dt,
                   static_cast<double>(stats->outputs - last_outputs) / dt,
                   static_cast<double>(stats->p50) / 1e6,
                   static_cast<double>(stats->p99) / 1e6, stats->alerting,
                   scored, m.errors());
    else
      std::fprintf(
        stderr,
        "[%4ds] samples/s %7.0f  firings/s %8.0f  the sink did not "
        "answer within 5 s: the graph falls behind  errors %" PRIu64 "\n",
        second, static_cast<double>(samples - last_samples) / dt,
        static_cast<double>(firings - last_firings) / dt, m.errors());
    if (page)
      page->refresh(m, dt, stats ? stats->outputs : last_outputs,
                    query_latency(self, d->sink), io.status(),
                    demo_status::ask_sources(self, io.sources));
    last_samples = samples;
    last_firings = firings;
    if (stats)
      last_outputs = stats->outputs;
    if (args.duration > 0
        && std::chrono::duration<double>(now - started).count()
             >= args.duration - 1e-3)
      break;
  }
  std::fprintf(stderr, "shoal-node: stopping\n");
  publisher.reset();
  stop_deployment(self, *d, source);
  return 0;
}

} // namespace shoal
