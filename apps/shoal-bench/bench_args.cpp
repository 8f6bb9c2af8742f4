#include <map>
#include <string>

#include "apps/shoal-bench/bench_command.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/parse_number.hpp"

#include "CLI/CLI.hpp"

namespace shoal {

const char* bench_usage() {
  return "usage: shoal-bench [limit | replay | live | scale] [options]\n"
         "       shoal-bench models --dir DIR   model evaluations per "
         "second\n"
         "       shoal-bench functions [--samples N]   nanoseconds per "
         "sample of each built-in function\n"
         "       shoal-bench checkpoint-store [options]   what the "
         "checkpoint store costs\n"
         "       shoal-bench plant --graph G.toml --input IN.csv [options]   "
         "write the\n"
         "                 synthetic plant and its samples to files\n"
         "       shoal-bench checkpoint-dir DIR [--json]   what a stopped "
         "member's\n"
         "                 checkpoint store holds\n"
         "       shoal-bench templates [--devices N] [--nodes N]   loading "
         "a template's\n"
         "                 devices against the same graph written out\n"
         "  (no command)   the standard workload: scale at the graph's size, "
         "limit, replay\n"
         "  limit          the reference evaluator over the samples\n"
         "  replay         limit, then the actor runtime on the same "
         "samples\n"
         "  live           the actor runtime fed at --rate samples/s on the "
         "wall clock\n"
         "  scale          load, memory per node and shutdown of --nodes "
         "nodes\n"
         "options (defaults: the standard 100,000-node workload):\n"
         "  --sensors N              10000\n"
         "  --features-per-sensor N  3\n"
         "  --models-per-sensor N    6\n"
         "  --layers N               4 (layers of models)\n"
         "  --join-fanin N           2 (other sensors a layer >= 1 model "
         "joins)\n"
         "  --lua-share X            0 (fraction of features in Lua)\n"
         "  --samples N              200000\n"
         "  --rate R                 100000 (samples/s of event time)\n"
         "  --duration S             10 (seconds of the live run, 1 of "
         "warm-up)\n"
         "  --lateness-ns N          0 (allowed lateness of the live run)\n"
         "  --edge-watermarks        live: ask for watermarks edge by edge\n"
         "                           instead of tracking progress\n"
         "  --one-actor-per-node     no cells: every node in its own actor\n"
         "  --cell-groups N          4 per thread (run the sensors' cells in\n"
         "                           N actors; 0: one actor per sensor's "
         "cell)\n"
         "  --threads N              one per core\n"
         "  --seed N                 1\n"
         "  --nodes N                1000000 (scale only)\n"
         "  --json                   one JSON object instead of the table\n"
         "  --version                print the version and exit 0\n"
         "exit codes: 0 done (replay: outputs equal), 1 a run failed or\n"
         "  its outputs differ, 2 bad usage\n";
}

caf::expected<bench_args> parse_bench_args(int argc, char** argv) {
  bench_args args;
  auto fail = [](std::string text) {
    return make_error(errc::invalid_config, std::move(text));
  };
  CLI::App app{"shoal-bench", "shoal-bench"};
  // --help and --version are main()'s, after a parse that succeeded.
  app.set_help_flag();
  app.allow_extras();
  app.add_flag("-h,--help", args.help);
  app.add_flag("--version", args.version);
  app.add_flag("--json", args.json);
  app.add_flag("--edge-watermarks", args.edge_watermarks);
  app.add_flag("--one-actor-per-node", args.one_actor_per_node);
  app.add_option("command", args.command);
  std::map<std::string, std::string> values;
  for (auto name : {"--sensors", "--features-per-sensor", "--models-per-sensor",
                    "--layers", "--join-fanin", "--samples", "--threads",
                    "--nodes", "--seed", "--cell-groups", "--lua-share",
                    "--duration", "--lateness-ns", "--rate"})
    app.add_option(name, values[name]);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ArgumentMismatch& e) {
    std::string what = e.what();
    return fail("option " + what.substr(0, what.find(':')) + " needs a value");
  } catch (const CLI::ParseError& e) {
    return fail(e.what());
  }
  for (const auto& extra : app.remaining())
    return fail("unknown option '" + extra + "'");
  if (!args.command.empty() && args.command != "limit"
      && args.command != "replay" && args.command != "live"
      && args.command != "scale")
    return fail("unknown command '" + args.command + "'");
  auto& g = args.graph;
  auto counts = {std::pair{"--sensors", std::pair{&g.sensors, size_t{1}}},
                 {"--features-per-sensor", {&g.features_per_sensor, 0}},
                 {"--models-per-sensor", {&g.models_per_sensor, 0}},
                 {"--layers", {&g.layers, 1}},
                 {"--join-fanin", {&g.join_fanin, 0}},
                 {"--samples", {&args.samples, 1}},
                 {"--threads", {&args.threads, 1}},
                 {"--nodes", {&args.nodes, 1}},
                 {"--cell-groups", {&args.cell_groups, 0}}};
  for (auto [name, target] : counts) {
    auto& value = values[name];
    auto [out, min] = target;
    if (!value.empty() && (!parse_number(value.c_str(), *out) || *out < min))
      return fail(std::string{name} + " needs an integer of at least "
                  + std::to_string(min) + ", got '" + value + "'");
  }
  auto given = [&](const char* name) -> const std::string& {
    return values[name];
  };
  if (auto& v = given("--seed"); !v.empty() && !parse_number(v.c_str(), g.seed))
    return fail("--seed needs a non-negative integer, got '" + v + "'");
  if (auto& v = given("--lua-share");
      !v.empty()
      && (!parse_number(v.c_str(), g.lua_share)
          || !(g.lua_share >= 0.0 && g.lua_share <= 1.0)))
    return fail("--lua-share needs a number from 0 to 1, got '" + v + "'");
  if (auto& v = given("--duration");
      !v.empty()
      && (!parse_number(v.c_str(), args.duration)
          || !(args.duration > 1 && args.duration < 1e6)))
    return fail("--duration needs a number of seconds above 1, got '" + v
                + "'");
  if (auto& v = given("--lateness-ns");
      !v.empty()
      && (!parse_number(v.c_str(), args.lateness_ns) || args.lateness_ns < 0))
    return fail("--lateness-ns needs a non-negative integer, got '" + v + "'");
  if (auto& v = given("--rate"); !v.empty()
                                 && (!parse_number(v.c_str(), args.rate)
                                     || !(args.rate > 0 && args.rate < 1e12)))
    return fail("--rate needs a positive number, got '" + v + "'");
  if (auto err = check_synthetic_options(args.graph))
    return err;
  return args;
}

} // namespace shoal
