#include <cstring>

#include "apps/shoal-bench/bench_command.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/parse_number.hpp"

namespace shoal {

const char* bench_usage() {
  return "usage: shoal-bench [limit | replay | live | scale] [options]\n"
         "       shoal-bench models --dir DIR   model evaluations per "
         "second\n"
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
         "  --threads N              one per core\n"
         "  --seed N                 1\n"
         "  --nodes N                1000000 (scale only)\n"
         "  --json                   one JSON object instead of the table\n";
}

caf::expected<bench_args> parse_bench_args(int argc, char** argv) {
  bench_args args;
  auto fail = [](std::string text) {
    return make_error(errc::invalid_config, std::move(text));
  };
  int i = 1;
  if (i < argc && argv[i][0] != '-') {
    args.command = argv[i++];
    if (args.command != "limit" && args.command != "replay"
        && args.command != "live" && args.command != "scale")
      return fail("unknown command '" + args.command + "'");
  }
  for (; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      args.help = true;
      continue;
    }
    if (arg == "--json") {
      args.json = true;
      continue;
    }
    if (arg == "--edge-watermarks") {
      args.edge_watermarks = true;
      continue;
    }
    if (arg == "--one-actor-per-node") {
      args.one_actor_per_node = true;
      continue;
    }
    if (i + 1 >= argc)
      return fail("option " + arg + " needs a value");
    const char* value = argv[++i];
    auto count = [&](size_t& out, size_t min) -> caf::error {
      if (!parse_number(value, out) || out < min)
        return fail(arg + " needs an integer of at least " + std::to_string(min)
                    + ", got '" + value + "'");
      return caf::none;
    };
    caf::error err;
    if (arg == "--sensors")
      err = count(args.graph.sensors, 1);
    else if (arg == "--features-per-sensor")
      err = count(args.graph.features_per_sensor, 0);
    else if (arg == "--models-per-sensor")
      err = count(args.graph.models_per_sensor, 0);
    else if (arg == "--layers")
      err = count(args.graph.layers, 1);
    else if (arg == "--join-fanin")
      err = count(args.graph.join_fanin, 0);
    else if (arg == "--samples")
      err = count(args.samples, 1);
    else if (arg == "--threads")
      err = count(args.threads, 1);
    else if (arg == "--nodes")
      err = count(args.nodes, 1);
    else if (arg == "--seed") {
      if (!parse_number(value, args.graph.seed))
        err = fail("--seed needs a non-negative integer, got '"
                   + std::string{value} + "'");
    } else if (arg == "--lua-share") {
      auto& x = args.graph.lua_share;
      if (!parse_number(value, x) || !(x >= 0.0 && x <= 1.0))
        err = fail("--lua-share needs a number from 0 to 1, got '"
                   + std::string{value} + "'");
    } else if (arg == "--duration") {
      if (!parse_number(value, args.duration)
          || !(args.duration > 1 && args.duration < 1e6))
        err = fail("--duration needs a number of seconds above 1, got '"
                   + std::string{value} + "'");
    } else if (arg == "--lateness-ns") {
      if (!parse_number(value, args.lateness_ns) || args.lateness_ns < 0)
        err = fail("--lateness-ns needs a non-negative integer, got '"
                   + std::string{value} + "'");
    } else if (arg == "--rate") {
      if (!parse_number(value, args.rate)
          || !(args.rate > 0 && args.rate < 1e12))
        err = fail("--rate needs a positive number, got '" + std::string{value}
                   + "'");
    } else {
      err = fail("unknown option '" + arg + "'");
    }
    if (err)
      return err;
  }
  if (auto err = check_synthetic_options(args.graph))
    return err;
  return args;
}

} // namespace shoal
