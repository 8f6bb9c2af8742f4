#include "runtime/core/clock.hpp"

#include <chrono>

namespace shoal {

int64_t wall_clock_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

int64_t system_wall_clock::now_ns() const {
  return wall_clock_ns();
}

const wall_clock& system_clock() {
  static const system_wall_clock instance;
  return instance;
}

} // namespace shoal
