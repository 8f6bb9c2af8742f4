#include "apps/shoal-bench/bench_command.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <unistd.h>

#include "actors/deploy/system_config.hpp"
#include "apps/shoal-bench/bench_live.hpp"
#include "apps/shoal-bench/bench_report.hpp"
#include "apps/shoal-bench/bench_runs.hpp"
#include "apps/shoal-bench/bench_scale.hpp"
#include "apps/shoal-bench/synthetic_samples.hpp"
#include "runtime/core/errc.hpp"

namespace shoal {

namespace {

/// Progress for people, on stderr, so that `--json` output stays clean.
template <class... Ts>
void progress(const char* fmt, Ts... xs) {
  std::fprintf(stderr, "shoal-bench: ");
  std::fprintf(stderr, fmt, xs...);
  std::fputc('\n', stderr);
}

throughput figures_of(const run_figures& r) {
  return throughput{r.samples, r.firings, r.outputs, r.errors, r.seconds};
}

/// The 1-minute load average from /proc/loadavg (0 if unknown).
double load_average() {
  double x = 0;
  if (auto* f = std::fopen("/proc/loadavg", "r")) {
    if (std::fscanf(f, "%lf", &x) != 1)
      x = 0;
    std::fclose(f);
  }
  return x;
}

std::vector<std::string> sensor_names(const graph_spec& g) {
  std::vector<std::string> names;
  for (const auto& n : g.nodes)
    if (n.kind == node_kind::sensor)
      names.push_back(n.name);
  return names;
}

/// Removes its file when it goes away.
struct temp_csv {
  std::string path;

  temp_csv()
    : path((std::filesystem::temp_directory_path()
            / ("shoal-bench-" + std::to_string(::getpid()) + ".csv"))
             .string()) {
    // nop
  }

  ~temp_csv() {
    std::error_code ec;
    std::filesystem::remove(path, ec);
  }
};

caf::error run_scale(const bench_args& args, const synthetic_options& opts,
                     bench_report& report) {
  auto s = bench_scale(
    opts, args.threads, !args.one_actor_per_node,
    [](const std::string& step) {
      progress("scale: %s", step.c_str());
    },
    args.cell_groups);
  if (!s)
    return std::move(s.error());
  if (s->complete())
    progress("scale: loaded in %.2f s, shut down in %.2f s", s->load_s(),
             s->shutdown_s);
  else
    progress("scale: %s", s->sink_error.c_str());
  report.scale = *s;
  return caf::none;
}

/// The limit run and, if `with_replay`, the replay run and the comparison.
caf::error run_throughput(const bench_args& args, bool with_replay,
                          bench_report& report) {
  progress("building the graph of %zu nodes", synthetic_node_count(args.graph));
  auto g = make_synthetic_graph(args.graph);
  if (!g)
    return std::move(g.error());
  report.nodes = g->nodes.size();
  sample_generator gen{sensor_names(*g), args.rate, args.graph.seed};
  report.sample_rate = gen.rate_per_s();
  report.samples = args.samples;
  auto samples = gen.first(args.samples);
  progress("limit: %zu samples through the reference evaluator",
           samples.size());
  auto limit = bench_limit(*g, gen, samples);
  if (!limit)
    return std::move(limit.error());
  report.limit = figures_of(*limit);
  if (!with_replay)
    return caf::none;
  samples = {};
  temp_csv csv;
  if (auto err = write_samples_csv(csv.path, gen, args.samples))
    return err;
  progress("replay: %zu samples through the actor runtime", args.samples);
  auto replay = bench_replay(*g, csv.path, args.threads,
                             !args.one_actor_per_node, args.cell_groups);
  if (!replay)
    return std::move(replay.error());
  report.replay = figures_of(*replay);
  std::string why;
  report.outputs_equal = same_run(*limit, *replay, why);
  report.difference = why;
  return caf::none;
}

/// The live run: the graph fed at `args.rate` on the wall clock.
caf::error run_live(const bench_args& args, bench_report& report) {
  progress("building the graph of %zu nodes", synthetic_node_count(args.graph));
  auto g = make_synthetic_graph(args.graph);
  if (!g)
    return std::move(g.error());
  report.nodes = g->nodes.size();
  sample_generator gen{sensor_names(*g), args.rate, args.graph.seed};
  report.sample_rate = gen.rate_per_s();
  progress("live: %.0f samples/s for %.1f s (the first second not measured)",
           gen.rate_per_s(), args.duration);
  live_run_options opts;
  opts.duration_s = args.duration;
  opts.lateness_ns = args.lateness_ns;
  opts.threads = args.threads;
  opts.track_progress = !args.edge_watermarks;
  opts.fuse = !args.one_actor_per_node;
  opts.cell_groups = args.cell_groups;
  auto live = bench_live(*g, gen, opts);
  if (!live)
    return std::move(live.error());
  live->lateness_ns = args.lateness_ns;
  report.live = *live;
  return caf::none;
}

} // namespace

int bench_command(const bench_args& args) {
  bench_report report;
  report.command = args.command.empty() ? "standard" : args.command;
  report.threads = scheduler_threads(args.threads);
  report.load_average = load_average();
  report.graph = args.graph;
  report.nodes = synthetic_node_count(args.graph);
  caf::error err;
  if (args.command == "scale") {
    report.graph = synthetic_for_nodes(args.graph, args.nodes);
    report.nodes = synthetic_node_count(report.graph);
    if (report.graph.join_fanin >= report.graph.sensors)
      report.graph.join_fanin = report.graph.sensors - 1;
    err = run_scale(args, report.graph, report);
  } else if (args.command.empty()) {
    // Scale first, while the heap is fresh: see bench_scale.hpp.
    err = run_scale(args, args.graph, report);
    if (!err)
      err = run_throughput(args, true, report);
  } else if (args.command == "live") {
    err = run_live(args, report);
  } else {
    err = run_throughput(args, args.command == "replay", report);
  }
  if (err) {
    std::fprintf(stderr, "shoal-bench: %s\n", describe(err).c_str());
    return 1;
  }
  if (args.json)
    std::printf("%s\n", to_json(report).c_str());
  else
    print_table(stdout, report);
  bool ok = report.outputs_equal.value_or(true)
            && (!report.scale || report.scale->complete());
  return ok ? 0 : 1;
}

} // namespace shoal
