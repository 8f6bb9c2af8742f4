#include <cstring>

#include "apps/shoal-node/node_commands.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/parse_number.hpp"

namespace shoal {

const char* node_usage() {
  return "usage:\n"
         "  shoal-node                     run the bundled demo (simulated "
         "plant)\n"
         "      [--duration SECONDS] [--threads N]\n"
         "      [--mqtt mqtt://HOST:PORT]  feed the plant through this broker\n"
         "  shoal-node --graph G.toml --replay IN.csv --out OUT.csv\n"
         "      [--threads N] [--allowed-lateness-ns NS]\n"
         "                                 run the graph over a file, then "
         "exit\n"
         "  shoal-node --config NODE.toml  start a cluster member\n";
}

caf::expected<node_args> parse_node_args(int argc, char** argv) {
  node_args args;
  auto fail = [](std::string text) {
    return make_error(errc::invalid_config, std::move(text));
  };
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      args.help = true;
      continue;
    }
    if (i + 1 >= argc)
      return fail("option " + arg + " needs a value");
    const char* value = argv[++i];
    if (arg == "--graph") {
      args.graph = value;
    } else if (arg == "--replay") {
      args.replay = value;
    } else if (arg == "--out") {
      args.out = value;
    } else if (arg == "--mqtt") {
      args.mqtt = value;
    } else if (arg == "--config") {
      args.config = value;
    } else if (arg == "--threads") {
      if (!parse_number(value, args.threads) || args.threads == 0)
        return fail("--threads needs a positive integer, got '"
                    + std::string{value} + "'");
    } else if (arg == "--duration") {
      if (!parse_number(value, args.duration) || args.duration < 0)
        return fail("--duration needs a number of seconds, got '"
                    + std::string{value} + "'");
    } else if (arg == "--allowed-lateness-ns") {
      if (!parse_number(value, args.allowed_lateness_ns)
          || args.allowed_lateness_ns < 0)
        return fail("--allowed-lateness-ns needs a non-negative integer, got '"
                    + std::string{value} + "'");
    } else {
      return fail("unknown option '" + arg + "'");
    }
  }
  bool replay_mode
    = !args.graph.empty() || !args.replay.empty() || !args.out.empty();
  if (replay_mode
      && (args.graph.empty() || args.replay.empty() || args.out.empty()))
    return fail("--graph, --replay and --out go together");
  if (replay_mode && !args.config.empty())
    return fail("--config does not go with --graph/--replay/--out");
  if (!args.mqtt.empty() && (replay_mode || !args.config.empty()))
    return fail("--mqtt is for the demo (no --graph or --config)");
  return args;
}

} // namespace shoal
