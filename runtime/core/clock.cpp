#include "runtime/core/clock.hpp"

#include <chrono>

namespace shoal {

int64_t wall_clock_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

} // namespace shoal
