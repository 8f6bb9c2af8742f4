// Shoal's scheduling policy (actors/deploy/steal_policy.hpp): every job runs,
// whichever worker made it ready, when one actor makes thousands of others
// ready in one handler (the pattern that made CAF's own policy quadratic),
// and when actors are spawned from outside the workers.

#include <gtest/gtest.h>

#include "caf/all.hpp"

#include "actors/deploy/system_config.hpp"
#include "actors/messages.hpp"

using namespace shoal;

namespace {

caf::behavior echo(caf::event_based_actor*) {
  return {
    [](int x) {
      return x;
    },
  };
}

} // namespace

TEST(StealPolicy, RunsEveryJobOfABurst) {
  for (size_t threads : {size_t{1}, size_t{2}, size_t{4}}) {
    caf::actor_system_config cfg;
    configure_system(cfg, threads);
    caf::actor_system sys{cfg};
    caf::scoped_actor self{sys};
    constexpr int n = 20'000;
    std::vector<caf::actor> xs;
    xs.reserve(n);
    for (int i = 0; i < n; ++i)
      xs.push_back(sys.spawn(echo));
    // One actor makes all of them ready at once: each answers it, and it
    // forwards the sum of the answers when all came.
    auto hub = sys.spawn([=](caf::event_based_actor* me) -> caf::behavior {
      auto count = std::make_shared<int>(0);
      auto total = std::make_shared<int64_t>(0);
      auto client = std::make_shared<caf::actor>();
      return {
        [=](start_atom, caf::actor& c) {
          *client = c;
          for (int i = 0; i < n; ++i)
            me->send(xs[static_cast<size_t>(i)], i);
        },
        [=](int x) {
          *total += x;
          if (++*count == n)
            me->send(*client, *total);
        },
      };
    });
    self->send(hub, start_atom_v, caf::actor{self});
    int64_t got = -1;
    self->receive(
      [&](int64_t total) {
        got = total;
      },
      caf::after(std::chrono::seconds(60)) >> [] {});
    EXPECT_EQ(got, int64_t{n} * (n - 1) / 2) << threads << " threads";
    self->send_exit(hub, caf::exit_reason::user_shutdown);
    for (auto& a : xs)
      self->send_exit(a, caf::exit_reason::user_shutdown);
  }
}
