#include "apps/shoal-bench/bench_live.hpp"

#include <chrono>
#include <thread>
#include <unordered_map>

#include "caf/all.hpp"

#include "actors/deploy/deployment.hpp"
#include "actors/deploy/system_config.hpp"
#include "actors/messages.hpp"
#include "actors/sources/live_source.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/io/output_sink.hpp"

namespace shoal {

namespace {

using clock_type = std::chrono::steady_clock;

/// The synthetic plant's generator as a live feed.
class synthetic_feed : public sample_feed {
public:
  explicit synthetic_feed(const sample_generator& gen) : gen_(gen) {
    // nop
  }

  const std::vector<std::string>& sensor_names() const override {
    return gen_.sensor_names();
  }

  void generate(int64_t from_ns, int64_t to_ns,
                std::vector<sim_sample>& out) override {
    buf_.clear();
    gen_.generate(from_ns, to_ns, buf_);
    for (auto& x : buf_)
      out.push_back(sim_sample{x.sensor, x.ts, x.value});
    count(buf_.size());
  }

private:
  sample_generator gen_;
  std::vector<synthetic_sample> buf_;
};

latency_ms to_ms(const std::vector<uint64_t>& xs, size_t at) {
  auto ms = [&](size_t i) {
    return static_cast<double>(xs[at + i]) / 1e6;
  };
  return latency_ms{ms(1), ms(2), ms(3), ms(4)};
}

/// Asks the sink for its latency figures; resets them if `reset`.
caf::expected<std::vector<uint64_t>>
query_latency(caf::scoped_actor& self, const caf::actor& sink, bool reset) {
  caf::expected<std::vector<uint64_t>> result{std::vector<uint64_t>{}};
  self->request(sink, std::chrono::seconds(60), latency_atom_v, reset)
    .receive(
      [&](std::vector<uint64_t>& xs) {
        result = std::move(xs);
      },
      [&](caf::error& err) {
        result = std::move(err);
      });
  if (result && result->size() != 10)
    return make_error(errc::invalid_config, "malformed latency reply");
  return result;
}

void sleep_until(clock_type::time_point t) {
  std::this_thread::sleep_until(t);
}

} // namespace

std::vector<std::string> single_sensor_nodes(const graph_spec& g) {
  constexpr size_t none = static_cast<size_t>(-1);
  std::unordered_map<std::string, size_t> sole;
  sole.reserve(g.nodes.size());
  std::vector<std::string> out;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const auto& n = g.nodes[i];
    size_t s = none;
    if (n.kind == node_kind::sensor) {
      s = i;
    } else {
      for (size_t k = 0; k < n.needs.size(); ++k) {
        auto j = sole.find(n.needs[k]);
        auto up = j == sole.end() ? none : j->second;
        if (k == 0)
          s = up;
        else if (up != s)
          s = none;
      }
      if (s != none)
        out.push_back(n.name);
    }
    sole.emplace(n.name, s);
  }
  return out;
}

caf::expected<live_figures> bench_live(const graph_spec& g,
                                       const sample_generator& gen,
                                       const live_run_options& opts) {
  caf::actor_system_config cfg;
  configure_system(cfg, opts.threads);
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  auto monitor = caf::actor_cast<caf::actor>(self);
  deploy_options dopts;
  dopts.track_progress = opts.track_progress;
  dopts.fuse = opts.fuse;
  dopts.cell_groups = opts.cell_groups;
  auto d = deploy_with_sink(self, g, std::make_shared<discard_sink>(), monitor,
                            {}, dopts);
  if (!d)
    return d.error();
  auto& sink = d->sink;
  caf::error err;
  self
    ->request(sink, std::chrono::seconds(60), single_atom_v,
              single_sensor_nodes(g))
    .receive([](caf::ok_atom) {},
             [&](caf::error& e) {
               err = std::move(e);
             });
  if (err)
    return err;
  auto feed = std::make_shared<synthetic_feed>(gen);
  auto key = node_key("source:live");
  live_options lo;
  lo.allowed_lateness_ns = opts.lateness_ns;
  lo.tracker = d->tracker;
  auto source
    = self->spawn(live_source, feed, d->sensors, d->sensor_actors, key, lo);
  if (auto e = attach_source(self, *d, source, key))
    return e;
  auto stop = [&] {
    stop_deployment(self, *d, source);
  };
  auto started = clock_type::now();
  self->send(source, caf::tick_atom_v);
  auto seconds = [](double s) {
    return std::chrono::duration_cast<clock_type::duration>(
      std::chrono::duration<double>(s));
  };
  sleep_until(started + seconds(opts.warmup_s));
  auto warm = query_latency(self, sink, true);
  auto from = clock_type::now();
  auto generated = feed->generated();
  if (!warm) {
    stop();
    return warm.error();
  }
  sleep_until(started + seconds(opts.duration_s));
  auto to = clock_type::now();
  auto fed = feed->generated() - generated;
  auto xs = query_latency(self, sink, false);
  stop();
  if (!xs)
    return xs.error();
  live_figures f;
  auto window = std::chrono::duration<double>(to - from).count();
  f.rate = window > 0 ? static_cast<double>(fed) / window : 0;
  f.samples = fed;
  f.seconds = window;
  f.outputs = (*xs)[0];
  f.all = to_ms(*xs, 0);
  f.single_outputs = (*xs)[5];
  f.single = to_ms(*xs, 5);
  return f;
}

} // namespace shoal
