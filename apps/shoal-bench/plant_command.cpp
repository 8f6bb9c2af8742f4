#include "apps/shoal-bench/plant_command.hpp"

#include <cstdio>
#include <string>
#include <vector>

#include "apps/shoal-bench/bench_command.hpp"
#include "apps/shoal-bench/synthetic_samples.hpp"
#include "apps/shoal-bench/synthetic_toml.hpp"
#include "runtime/core/errc.hpp"

namespace shoal {

namespace {

const char* usage
  = "usage: shoal-bench plant --graph G.toml --input IN.csv [--sensors N] "
    "[--features-per-sensor N]\n"
    "         [--models-per-sensor N] [--layers N] [--join-fanin N] "
    "[--lua-share X] [--seed N]\n"
    "         [--samples N] [--rate R]\n";

/// The plant's options and where its files go.
struct plant_args {
  std::string graph;
  std::string input;
  bench_args bench;
};

/// The options of shoal-bench's own that the plant takes, each with a value.
const char* const plant_options[] = {"--sensors",
                                     "--features-per-sensor",
                                     "--models-per-sensor",
                                     "--layers",
                                     "--join-fanin",
                                     "--lua-share",
                                     "--seed",
                                     "--samples",
                                     "--rate"};

/// Takes --graph and --input out and hands the plant's options to
/// shoal-bench's own parser; an empty string when the arguments are fine.
std::string parse(int argc, char** argv, plant_args& out) {
  std::vector<char*> rest{const_cast<char*>("shoal-bench")};
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--graph" || arg == "--input") {
      if (i + 1 >= argc || argv[i + 1][0] == '\0')
        return "option " + arg + " needs a file";
      (arg == "--graph" ? out.graph : out.input) = argv[++i];
      continue;
    }
    bool known = false;
    for (auto opt : plant_options)
      known = known || arg == opt;
    if (!known)
      return "unknown argument '" + arg + "'";
    rest.push_back(argv[i]);
    if (i + 1 < argc)
      rest.push_back(argv[++i]);
  }
  if (out.graph.empty() || out.input.empty())
    return "--graph and --input are required";
  auto args = parse_bench_args(static_cast<int>(rest.size()), rest.data());
  if (!args)
    return describe(args.error());
  out.bench = std::move(*args);
  return {};
}

std::vector<std::string> sensors_of(const graph_spec& g) {
  std::vector<std::string> names;
  for (const auto& n : g.nodes)
    if (n.kind == node_kind::sensor)
      names.push_back(n.name);
  return names;
}

} // namespace

int plant_command(int argc, char** argv) {
  plant_args args;
  if (auto bad = parse(argc, argv, args); !bad.empty()) {
    std::fprintf(stderr, "shoal-bench plant: %s\n%s", bad.c_str(), usage);
    return 2;
  }
  auto fail = [](const caf::error& err) {
    std::fprintf(stderr, "shoal-bench plant: %s\n", describe(err).c_str());
    return 1;
  };
  auto g = make_synthetic_graph(args.bench.graph);
  if (!g)
    return fail(g.error());
  if (auto err = write_synthetic_graph(args.graph, *g))
    return fail(err);
  auto sensors = sensors_of(*g);
  auto sensor_count = sensors.size();
  sample_generator gen{std::move(sensors), args.bench.rate,
                       args.bench.graph.seed};
  if (auto err = write_samples_csv(args.input, gen, args.bench.samples))
    return fail(err);
  std::printf("plant: %zu nodes (%zu sensors) in %s, %zu samples in %s\n",
              g->nodes.size(), sensor_count, args.graph.c_str(),
              args.bench.samples, args.input.c_str());
  return 0;
}

} // namespace shoal
