// Running a program of ours in a test: its exit code and what it printed.

#pragma once

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <sys/types.h>
#include <vector>

namespace shoal::test_support {

struct process_result {
  int exit_code = -1;
  /// Standard output and standard error, interleaved.
  std::string output;
};

/// Runs `command` through the shell, capturing stdout and stderr.
process_result run_command(const std::string& command);

/// The path of a binary built into build/bin/.
std::string binary(const std::string& name);

/// Reads a whole file; empty if it does not exist.
std::string read_file(const std::string& path);

/// The lines of `text`, sorted: outputs of a cluster compared with a
/// single node's, which a cluster writes in the order they arrive.
std::vector<std::string> sorted_lines(const std::string& text);

/// The objects of a JSON-lines file, one per complete line; a line still
/// being written does not parse and is left for a later read.
std::vector<nlohmann::json> read_json_lines(const std::string& path);

/// Starts the server `argv` (argv[0] its path) with stdout and stderr to
/// /dev/null and waits up to `limit` until `ready()`, polling every
/// `every`. Its pid goes to `pid` (-1 if it did not start or exited first);
/// false if it is not ready in time.
bool start_server(const std::vector<std::string>& argv, pid_t& pid,
                  std::chrono::milliseconds limit,
                  std::chrono::milliseconds every,
                  const std::function<bool()>& ready);

/// SIGTERM to `pid` (if > 0), waits for it, and sets it to -1.
void stop_server(pid_t& pid);

} // namespace shoal::test_support
