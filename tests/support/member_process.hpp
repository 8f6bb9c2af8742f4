// Real `shoal-node --config` processes for cluster tests.
//
// `member_process` writes nothing itself: the test writes the member's
// NODE.toml and passes its path. The process's stdout and stderr go to a log
// file next to it (`log()` reads it). The destructor stops the process
// (SIGTERM, then SIGKILL after 5 s) and waits for it, so a test never leaves
// a member running. Not thread-safe: for the test's main thread.

#pragma once

#include <cstddef>
#include <string>
#include <sys/types.h>
#include <vector>

namespace shoal::test_support {

class member_process {
public:
  /// Starts build/bin/shoal-node --config `config`.
  explicit member_process(std::string config);
  member_process(const member_process&) = delete;
  member_process& operator=(const member_process&) = delete;
  ~member_process();

  /// Sends SIGKILL and waits.
  void kill9();

  /// Sends SIGTERM and waits up to 5 s; returns the exit code (-1 if it had
  /// to be killed or was not running).
  int stop();

  /// Waits up to `seconds` for the process to exit by itself; returns its
  /// exit code, or -1 if it is still running (and stays running).
  int wait_exit(double seconds);

  bool running() const {
    return pid_ > 0;
  }

  /// The process id (-1 once it was stopped).
  pid_t pid() const {
    return pid_;
  }

  /// The most memory the process has held so far (VmHWM), in KiB; -1 if
  /// unknown.
  long peak_rss_kib() const;

  /// Everything the process printed so far.
  std::string log() const;

private:
  std::string config_;
  std::string log_;
  pid_t pid_ = -1;
};

/// Writes a member's NODE.toml: `name` listening on 127.0.0.1:`port`, 2
/// threads, the given seeds (loopback ports), heartbeat `heartbeat_ms`,
/// failure timeout `failure_ms`; `node_extra` is appended to [node] (e.g.
/// an http line), `tables` after [cluster] (sources, sinks). Returns its
/// path.
std::string write_member_config(const std::string& name, int port,
                                const std::vector<int>& seeds,
                                const std::string& node_extra = "",
                                const std::string& tables = "",
                                int failure_ms = 2000, int heartbeat_ms = 100);

/// A graph of two cells (sensors a.temp and b.temp, their features, and a
/// model joining both): placement puts a cell on each of two members.
extern const char* two_cell_graph;

/// Waits up to 15 s for `shoalctl status` at `port` to list `n` members;
/// fails the test otherwise.
void await_member_count(int port, size_t n);

/// Waits up to 10 s for `text` in `m`'s log.
bool await_log(const member_process& m, const std::string& text);

/// `build/bin/shoalctl --connect 127.0.0.1:PORT ARGS`, with its output.
struct ctl_result {
  int exit_code = -1;
  std::string output;
};
ctl_result shoalctl(int port, const std::string& args);

} // namespace shoal::test_support
