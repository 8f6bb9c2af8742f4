// The commands of `shoal-node` (SPEC section 6): argument parsing, the
// replay command and the live demo. `apps/shoal-node/main.cpp` only
// dispatches to these; each returns the process exit code (0 ok, 2 bad
// input or usage).

#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "actors/deploy/cell_groups.hpp"

namespace shoal {

struct node_args {
  std::string graph;
  std::string replay;
  std::string out;
  std::string config;
  /// Demo: feed the plant through this MQTT broker ("mqtt://host:port").
  std::string mqtt;
  /// Demo: serve the status page, /status and /metrics here ("host:port").
  std::string http;
  /// Scheduler threads (0: one per core).
  size_t threads = 0;
  /// Replay and demo: the actors the sensors' cells run in
  /// (`deploy_options::cell_groups`; 0: one per sensor's cell; default: four
  /// per scheduler thread).
  size_t cell_groups = auto_cell_groups;
  /// Demo: stop after this many seconds (0: run until Ctrl-C).
  double duration = 0;
  /// Replay: allowed lateness in nanoseconds.
  int64_t allowed_lateness_ns = 0;
  /// Member: the least level logged ("debug", "info", "warn", "error");
  /// empty: [node] log_level, else info.
  std::string log_level;
};

/// Parses the command line into `args`. Returns -1 to go on, or the exit
/// code after it printed the help, the version (0) or a usage error naming
/// the offending argument, with the usage (2).
int parse_node_args(int argc, char** argv, node_args& args);

/// The usage text.
const char* node_usage();

/// `--graph G --replay IN --out OUT`.
int replay_command(const node_args& args);

/// `--config NODE.toml`: a cluster member, until SIGINT or SIGTERM.
int member_command(const node_args& args);

/// No arguments: the simulated plant, live, with a status line a second.
/// `demo_graph` is the graph file to run.
int demo_command(const node_args& args, const std::string& demo_graph);

} // namespace shoal
