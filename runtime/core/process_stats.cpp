#include "runtime/core/process_stats.hpp"

#include <dlfcn.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <unistd.h>

namespace shoal {

namespace {

/// The boot time, in seconds since the epoch (`btime` of /proc/stat).
double boot_time() {
  std::ifstream in{"/proc/stat"};
  std::string key;
  while (in >> key) {
    if (key == "btime") {
      double t = 0;
      in >> t;
      return t;
    }
    in.ignore(1 << 20, '\n');
  }
  return 0;
}

} // namespace

process_stats read_process_stats() {
  process_stats out;
  auto ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  auto page = static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
  // /proc/self/stat: the command name may hold spaces; fields count from
  // the last ')'.
  std::ifstream stat{"/proc/self/stat"};
  std::string line;
  if (ticks > 0 && std::getline(stat, line)) {
    auto close = line.rfind(')');
    if (close != std::string::npos) {
      std::istringstream fields{line.substr(close + 2)};
      std::string f;
      // After ')': state is field 3; utime 14, stime 15, starttime 22.
      for (int i = 3; i <= 22 && fields >> f; ++i) {
        if (i == 14 || i == 15)
          out.cpu_seconds += std::stod(f) / ticks;
        if (i == 22)
          out.start_time_seconds = boot_time() + std::stod(f) / ticks;
      }
    }
  }
  std::ifstream statm{"/proc/self/statm"};
  uint64_t size = 0;
  uint64_t resident = 0;
  if (statm >> size >> resident) {
    out.virtual_bytes = size * page;
    out.resident_bytes = resident * page;
  }
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator{"/proc/self/fd", ec};
       !ec && it != std::filesystem::directory_iterator{}; it.increment(ec))
    ++out.open_fds;
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) == 0)
    out.max_fds = static_cast<uint64_t>(lim.rlim_cur);
  return out;
}

const char* malloc_name() {
  return dlsym(RTLD_DEFAULT, "mallctl") != nullptr ? "jemalloc" : "glibc";
}

} // namespace shoal
