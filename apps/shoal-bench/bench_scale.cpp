#include "apps/shoal-bench/bench_scale.hpp"

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <unistd.h>

#include "caf/all.hpp"

#include "actors/deploy/deployment.hpp"
#include "actors/deploy/system_config.hpp"
#include "runtime/core/errc.hpp"

namespace shoal {

namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

double per_node(int64_t bytes, size_t nodes) {
  return nodes > 0 ? static_cast<double>(bytes) / static_cast<double>(nodes)
                   : 0;
}

} // namespace

double scale_figures::rss_bytes_per_node() const {
  return per_node(rss_deployed - rss_start, nodes);
}

double scale_figures::spec_bytes_per_node() const {
  return per_node(rss_built - rss_start, nodes);
}

int64_t resident_bytes() {
  auto* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr)
    return 0;
  long long size = 0;
  long long resident = 0;
  auto n = std::fscanf(f, "%lld %lld", &size, &resident);
  std::fclose(f);
  if (n != 2)
    return 0;
  return static_cast<int64_t>(resident) * ::sysconf(_SC_PAGESIZE);
}

caf::expected<scale_figures> bench_scale(const synthetic_options& opts,
                                         size_t threads, bool fuse,
                                         const scale_progress& progress,
                                         size_t cell_groups) {
  auto step = [&](const std::string& what) {
    if (progress)
      progress(what);
  };
  scale_figures r;
  r.rss_start = resident_bytes();
  step("building the graph");
  auto start = clock_type::now();
  auto g = make_synthetic_graph(opts);
  if (!g)
    return std::move(g.error());
  r.build_s = seconds_since(start);
  r.nodes = g->nodes.size();
  r.rss_built = resident_bytes();
  step("deploying " + std::to_string(r.nodes) + " nodes");
  start = clock_type::now();
  caf::actor_system_config cfg;
  configure_system(cfg, threads);
  std::optional<caf::actor_system> sys;
  sys.emplace(cfg);
  clock_type::time_point stopping;
  {
    caf::scoped_actor self{*sys};
    auto monitor = caf::actor_cast<caf::actor>(self);
    deploy_options dopts;
    dopts.fuse = fuse;
    dopts.cell_groups = cell_groups;
    auto d = deploy(self, *g, monitor, dopts);
    if (!d) {
      // The actors spawned so far are out of reach: do not wait for them.
      sys->await_actors_before_shutdown(false);
      return std::move(d.error());
    }
    r.deploy_s = seconds_since(start);
    r.actors = d->spawned;
    step("wiring the sink");
    start = clock_type::now();
    auto sink
      = deploy_sink(self, *g, *d, std::make_shared<discard_sink>(), monitor);
    r.sink_s = seconds_since(start);
    r.rss_deployed = resident_bytes();
    step("shutting down");
    stopping = clock_type::now();
    if (sink) {
      self->send_exit(*sink, caf::exit_reason::user_shutdown);
    } else {
      r.sink_error = describe(sink.error());
      sys->await_actors_before_shutdown(false);
    }
    for (auto& a : d->actors)
      self->send_exit(a, caf::exit_reason::user_shutdown);
  }
  // The destructor waits until every actor is gone.
  sys.reset();
  r.shutdown_s = seconds_since(stopping);
  return r;
}

} // namespace shoal
