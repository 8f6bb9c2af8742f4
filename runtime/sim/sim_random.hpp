// Random-access random streams and time slots for the plant simulation
// (plant_sim.hpp).
//
// A stream is a splitmix64 generator named by its seed; `draw(seed, n)`
// computes its n-th output directly, so a sample or a time slot gets its
// random numbers from its index alone, whatever was drawn before. Sub-streams
// split one seed into independent ones by tag. Time slots are indexed by
// floor division, which rounds towards minus infinity also before 1970.
//
// Pure inline functions without state: safe from any thread.

#pragma once

#include <cstdint>

namespace shoal::sim_random {

constexpr uint64_t golden = 0x9E3779B97F4A7C15ull;

/// Nanoseconds per second.
constexpr int64_t sec = 1'000'000'000;

/// The splitmix64 finalizer: a bijection that scrambles every bit.
inline uint64_t mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/// The n-th output (0-based) of a splitmix64 generator seeded with `seed`.
inline uint64_t draw(uint64_t seed, uint64_t n) {
  return mix(seed + (n + 1) * golden);
}

/// Seed of the sub-stream `tag` of stream `seed`.
inline uint64_t sub(uint64_t seed, uint64_t tag) {
  return mix(seed ^ mix(tag * golden + 0x5151u));
}

/// Uniform in [0, 1).
inline double uniform(uint64_t h) {
  return static_cast<double>(h >> 11) * 0x1.0p-53;
}

/// Approximately standard normal (Irwin-Hall of four 16-bit uniforms): cheap,
/// bounded by +-3.5, close enough for sensor noise.
inline double gauss(uint64_t h) {
  double sum = 0;
  for (int i = 0; i < 4; ++i, h >>= 16)
    sum += static_cast<double>(h & 0xFFFF) * 0x1.0p-16;
  return (sum - 2.0) * 1.7320508075688772;
}

/// `a / b` rounded towards minus infinity. Precondition: `b != 0`.
inline int64_t floor_div(int64_t a, int64_t b) {
  auto q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/// The remainder of `floor_div`: has the sign of `b`.
inline int64_t floor_mod(int64_t a, int64_t b) {
  return a - floor_div(a, b) * b;
}

} // namespace shoal::sim_random
