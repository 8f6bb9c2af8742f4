// An actor system on CAF's deterministic test scheduler, for actor tests.
//
// `test_system` configures Shoal's types and CAF's `testing` scheduler
// policy (caf/scheduler/test_coordinator.hpp): no scheduler threads, every
// message is handled on the test's own thread when the test calls `run()`,
// and CAF's clock (delayed sends, timeouts) only moves with `advance()`. So
// an actor test sees exactly one order of events and asserts exact outputs.
//
// `probe` is an actor that records what it receives: batches (also those
// that arrive several to a message) in `probe_log::batches`, anything else
// in `probe_log::others`. `driver` runs a test's steps inside an actor, for
// the classes that need an actor to send (publisher, ingest_router).
// Everything here is used from the test's thread only.

#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/atom.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/scheduler/test_coordinator.hpp"
#include "caf/send.hpp"

#include "actors/messages.hpp"

namespace shoal::test_support {

/// What a probe received, in order.
struct probe_log {
  std::vector<batch> batches;
  std::vector<caf::message> others;
  /// Messages received (a `std::vector<batch>` counts once).
  size_t messages = 0;
};

/// A probe actor and what it received.
struct probed {
  caf::actor actor;
  std::shared_ptr<probe_log> log;
};

/// Records every message in `log`.
inline caf::behavior probe(caf::event_based_actor* self,
                           std::shared_ptr<probe_log> log) {
  self->set_default_handler(
    [log](caf::scheduled_actor*,
          caf::message_view& x) -> caf::result<caf::message> {
      ++log->messages;
      log->others.push_back(x.move_content_to_message());
      return caf::message{};
    });
  return {
    [log](batch& b) {
      ++log->messages;
      log->batches.push_back(std::move(b));
    },
    [log](std::vector<batch>& bs) {
      ++log->messages;
      for (auto& b : bs)
        log->batches.push_back(std::move(b));
    },
  };
}

/// A step a `driver` runs as its actor.
using driver_step = std::function<void(caf::event_based_actor*)>;

/// Runs the front step of `steps` on each `tick_atom`.
inline caf::behavior driver(caf::event_based_actor* self,
                            std::shared_ptr<std::deque<driver_step>> steps) {
  return {
    [self, steps](caf::tick_atom) {
      auto f = std::move(steps->front());
      steps->pop_front();
      f(self);
    },
  };
}

class test_system {
public:
  test_system() : sys_(config(cfg_)), sched_(coordinator(sys_)) {
    // nop
  }

  test_system(const test_system&) = delete;
  test_system& operator=(const test_system&) = delete;

  /// Stops every actor spawned here and handles what is left, so that the
  /// actor system has nothing to wait for.
  ~test_system() {
    for (auto& a : spawned_)
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    run();
    sys_.await_actors_before_shutdown(false);
  }

  caf::actor_system& sys() {
    return sys_;
  }

  caf::scheduler::test_coordinator& sched() {
    return sched_;
  }

  /// Spawns an actor that the destructor stops.
  template <class F, class... Ts>
  caf::actor spawn(F fun, Ts&&... xs) {
    auto a = sys_.spawn(fun, std::forward<Ts>(xs)...);
    spawned_.push_back(a);
    return a;
  }

  /// Spawns a probe; what it receives goes to the returned log.
  probed spawn_probe() {
    auto log = std::make_shared<probe_log>();
    return {spawn(probe, log), log};
  }

  /// Handles every queued message; timeouts do not fire. Returns the count.
  size_t run() {
    size_t n = 0;
    while (sched_.try_run_once())
      ++n;
    return n;
  }

  /// Moves CAF's clock by `dt` (delayed sends come due), then runs.
  size_t advance(caf::timespan dt) {
    sched_.advance_time(dt);
    return run();
  }

private:
  static caf::actor_system_config& config(caf::actor_system_config& cfg) {
    register_types(cfg);
    cfg.set("scheduler.policy", caf::atom("testing"));
    cfg.set("logger.verbosity", caf::atom("quiet"));
    return cfg;
  }

  static caf::scheduler::test_coordinator& coordinator(caf::actor_system& s) {
    return dynamic_cast<caf::scheduler::test_coordinator&>(s.scheduler());
  }

  caf::actor_system_config cfg_;
  caf::actor_system sys_;
  caf::scheduler::test_coordinator& sched_;
  std::vector<caf::actor> spawned_;
};

/// Runs steps inside one actor of a `test_system`, one `run()` per step.
class driven_actor {
public:
  explicit driven_actor(test_system& ts)
    : ts_(ts), steps_(std::make_shared<std::deque<driver_step>>()),
      handle_(ts.spawn(driver, steps_)) {
    // nop
  }

  /// Runs `f` as the driver actor, then everything it caused.
  void step(driver_step f) {
    steps_->push_back(std::move(f));
    caf::anon_send(handle_, caf::tick_atom_v);
    ts_.run();
  }

  const caf::actor& handle() const {
    return handle_;
  }

private:
  test_system& ts_;
  std::shared_ptr<std::deque<driver_step>> steps_;
  caf::actor handle_;
};

} // namespace shoal::test_support
