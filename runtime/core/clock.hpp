// Wall-clock time for live sources, MQTT arrival stamps and the demo.
//
// Event time never comes from here: replays and the semantics (SPEC section
// 3) use the samples' own timestamps. Only live watermarks (`now -
// allowed_lateness_ns`) and bare-number MQTT payloads read the wall clock.
// Live sources read it through a `wall_clock` handed to them in their
// options, so that a test can run them on a `manual_clock` and know their
// watermarks exactly; `system_clock()` is the process's real one and the
// default. Both clocks are thread-safe; whoever hands a clock to an actor
// keeps it alive for as long as the actor runs.

#pragma once

#include <atomic>
#include <cstdint>

namespace shoal {

/// Wall-clock time in nanoseconds since the Unix epoch.
int64_t wall_clock_ns();

/// A source of wall-clock time in nanoseconds since the Unix epoch.
class wall_clock {
public:
  virtual ~wall_clock() = default;

  virtual int64_t now_ns() const = 0;
};

/// The real clock, `wall_clock_ns()`.
class system_wall_clock final : public wall_clock {
public:
  int64_t now_ns() const override;
};

/// A clock that moves only when told: for tests.
class manual_clock final : public wall_clock {
public:
  explicit manual_clock(int64_t start = 0) : now_(start) {
    // nop
  }

  int64_t now_ns() const override {
    return now_.load(std::memory_order_relaxed);
  }

  void set(int64_t t) {
    now_.store(t, std::memory_order_relaxed);
  }

  void advance(int64_t dt) {
    now_.fetch_add(dt, std::memory_order_relaxed);
  }

private:
  std::atomic<int64_t> now_;
};

/// The real clock of this process, the default of every live source.
const wall_clock& system_clock();

} // namespace shoal
