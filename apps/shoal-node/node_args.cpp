#include "apps/common/cli.hpp"
#include "apps/shoal-node/node_commands.hpp"
#include "runtime/core/parse_number.hpp"

namespace shoal {

const char* node_usage() {
  return "usage:\n"
         "  shoal-node                     run the bundled demo (simulated "
         "plant)\n"
         "      [--duration SECONDS] [--threads N] [--cell-groups N]\n"
         "      [--mqtt mqtt://HOST:PORT]  feed the plant through this broker\n"
         "      [--http HOST:PORT]         serve the status page there\n"
         "  shoal-node --graph G.toml --replay IN.csv --out OUT.csv\n"
         "      [--threads N] [--cell-groups N] [--allowed-lateness-ns NS]\n"
         "                                 run the graph over a file, then "
         "exit\n"
         "                                 (--replay -: stdin, --out -: "
         "stdout)\n"
         "      --cell-groups N: run the sensors' cells in N actors (default\n"
         "      4 per thread; 0: one actor per sensor's cell)\n"
         "  shoal-node --config NODE.toml  start a cluster member\n"
         "      [--log-level debug|info|warn|error]   (default info, or\n"
         "                                 [node] log_level)\n"
         "  shoal-node --version | --help\n"
         "exit codes: 0 done (a member: left after SIGTERM or SIGINT),\n"
         "  2 bad usage, graph, config or input file\n";
}

namespace {

/// The checks CLI11 cannot word: numbers with their ranges, and which
/// options go together. Messages name the option and what it got.
std::string check_node_args(node_args& args, const std::string& threads,
                            const std::string& groups,
                            const std::string& duration,
                            const std::string& lateness) {
  if (!threads.empty()
      && (!parse_number(threads.c_str(), args.threads) || args.threads == 0))
    return "--threads needs a positive integer, got '" + threads + "'";
  if (!groups.empty()
      && (!parse_number(groups.c_str(), args.cell_groups)
          || args.cell_groups > max_cell_groups))
    return "--cell-groups needs an integer from 0 to "
           + std::to_string(max_cell_groups) + ", got '" + groups + "'";
  if (!duration.empty()
      && (!parse_number(duration.c_str(), args.duration) || args.duration < 0))
    return "--duration needs a number of seconds, got '" + duration + "'";
  if (!lateness.empty()
      && (!parse_number(lateness.c_str(), args.allowed_lateness_ns)
          || args.allowed_lateness_ns < 0))
    return "--allowed-lateness-ns needs a non-negative integer, got '"
           + lateness + "'";
  bool replay_mode
    = !args.graph.empty() || !args.replay.empty() || !args.out.empty();
  if (replay_mode
      && (args.graph.empty() || args.replay.empty() || args.out.empty()))
    return "--graph, --replay and --out go together";
  if (replay_mode && !args.config.empty())
    return "--config does not go with --graph/--replay/--out";
  if (!args.mqtt.empty() && (replay_mode || !args.config.empty()))
    return "--mqtt is for the demo (no --graph or --config)";
  if (!args.http.empty() && (replay_mode || !args.config.empty()))
    return "--http is for the demo (a member's is [node] http in its "
           "config)";
  if (!args.log_level.empty() && args.config.empty())
    return "--log-level is for a cluster member (--config)";
  if (!groups.empty() && !args.config.empty())
    return "--cell-groups is for a replay or the demo (a member runs one "
           "actor per node)";
  return {};
}

} // namespace

int parse_node_args(int argc, char** argv, node_args& args) {
  CLI::App app{"shoal-node", "shoal-node"};
  prepare_cli(app, "shoal-node");
  std::string threads;
  std::string groups;
  std::string duration;
  std::string lateness;
  app.add_option("--graph", args.graph, "the graph to replay");
  app.add_option("--replay", args.replay, "the input (file, -, influxdb://)");
  app.add_option("--out", args.out, "the output CSV (-: stdout)");
  app.add_option("--config", args.config, "NODE.toml of a cluster member");
  app.add_option("--mqtt", args.mqtt, "demo: the broker");
  app.add_option("--http", args.http, "demo: the status page's address");
  app.add_option("--threads", threads, "scheduler threads");
  app.add_option("--cell-groups", groups, "actors the sensors' cells run in");
  app.add_option("--duration", duration, "demo: seconds to run");
  app.add_option("--allowed-lateness-ns", lateness, "replay: lateness");
  app.add_option("--log-level", args.log_level, "member: least level logged")
    ->check(CLI::IsMember({"debug", "info", "warn", "error"}));
  auto outcome
    = parse_cli(app, argc, argv, "shoal-node", node_usage(), node_usage());
  if (outcome.exit)
    return outcome.code;
  if (auto bad = check_node_args(args, threads, groups, duration, lateness);
      !bad.empty()) {
    std::fprintf(stderr, "shoal-node: %s\n%s", bad.c_str(), node_usage());
    return 2;
  }
  return -1;
}

} // namespace shoal
