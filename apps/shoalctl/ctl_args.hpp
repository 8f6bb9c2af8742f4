// shoalctl's command line (SPEC section 6), parsed with CLI11: the global
// options (`--connect`, `--timeout`, TLS files), one subcommand with its
// operands, and `-o json|wide|dot`. Defaults come from the environment
// (`SHOAL_CONNECT`, `SHOAL_CERT`, `SHOAL_KEY`, `SHOAL_CA`) and then from the
// context file `~/.config/shoal/config.toml` (`$XDG_CONFIG_HOME` when set;
// keys `connect`, `timeout`, `cert`, `key`, `ca`): flags beat the
// environment, which beats the file. Part of shoalctl (ctl_command.hpp);
// for main()'s thread.

#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "apps/shoalctl/ctl_request.hpp"
#include "runtime/cluster/tls_files.hpp"

namespace shoal {

/// How a command prints: the plain text, one JSON document, the text with
/// more columns, or Graphviz (graph only).
enum class ctl_output {
  text,
  json,
  wide,
  dot,
};

struct ctl_args {
  ctl_target target;
  tls_files tls;
  std::string command;
  std::vector<std::string> rest;
  std::string out;
  size_t count = 0;
  ctl_output output = ctl_output::text;
  bool checkpoint = false;
  bool cascade = false;
  /// apply: what it would change, changing nothing.
  bool dry_run = false;
  /// replay: bytes per piece of the input (replay_piece_bytes by default).
  size_t piece_bytes = 0;
};

/// Parses the command line into `args`. Returns -1 to go on, or the exit
/// code after it printed the help, the version (0) or a usage error naming
/// the option or operand (2).
int parse_ctl_args(int argc, char** argv, ctl_args& args);

} // namespace shoal
