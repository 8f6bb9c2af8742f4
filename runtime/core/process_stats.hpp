// What the operating system says about this process, for the `process_*`
// metrics every Prometheus client exports (docs/http.md).
//
// Read from /proc/self on each call (Linux); a figure that cannot be read
// stays 0. Thread-safe: it keeps no state.

#pragma once

#include <cstdint>

namespace shoal {

struct process_stats {
  /// User and system CPU time, in seconds.
  double cpu_seconds = 0;
  uint64_t resident_bytes = 0;
  uint64_t virtual_bytes = 0;
  uint64_t open_fds = 0;
  /// The soft limit on open file descriptors.
  uint64_t max_fds = 0;
  /// When the process started, in seconds since the Unix epoch.
  double start_time_seconds = 0;
};

process_stats read_process_stats();

/// The malloc this process runs on: "jemalloc" when jemalloc replaced
/// glibc's (the apps link it, see the top-level CMakeLists.txt), else
/// "glibc". Found by its `mallctl` entry point, so it says what was loaded,
/// not what the build asked for.
const char* malloc_name();

} // namespace shoal
