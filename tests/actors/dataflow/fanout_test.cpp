// A node with a very large fan-out: subscribing, requesting and sending to N
// subscribers costs O(N) actor comparisons, not O(N^2).
//
// The work is counted, not timed: this file defines `caf::actor::compare`,
// through which every comparison of two handles goes (`==`, `!=`, hash maps),
// so that it counts them; it keeps CAF's meaning (CAF's own definition
// compares the two addresses the same way). The definition in this
// executable takes the place of the one in libcaf_core, which is why these
// tests have an executable of their own.

#include <gtest/gtest.h>

#include "caf/actor.hpp"
#include "caf/actor_addr.hpp"
#include "caf/actor_cast.hpp"

#include "actors/dataflow/publisher.hpp"
#include "runtime/core/metrics.hpp"
#include "tests/support/test_system.hpp"

namespace {

size_t actor_comparisons = 0;

} // namespace

intptr_t caf::actor::compare(const actor& other) const noexcept {
  ++actor_comparisons;
  return actor_addr::compare(get(), other.get());
}

using namespace shoal;
using namespace shoal::test_support;

namespace {

constexpr size_t fan_out = 30000;

/// `n` actors that do nothing: subscribers that are never sent to here.
std::vector<caf::actor> idle_actors(test_system& ts, size_t n) {
  std::vector<caf::actor> result;
  result.reserve(n);
  for (size_t i = 0; i < n; ++i)
    result.push_back(ts.spawn([]() -> caf::behavior {
      return {[](int) {}};
    }));
  return result;
}

} // namespace

TEST(Fanout, ComparisonsAreCounted) {
  // Guards the counting itself: were the definition above not used, every
  // bound below would hold trivially.
  test_system ts;
  auto xs = idle_actors(ts, 2);
  actor_comparisons = 0;
  EXPECT_FALSE(xs[0] == xs[1]);
  EXPECT_EQ(actor_comparisons, 1u);
}

TEST(Fanout, SubscribingAndRequestingAreLinearInTheSubscribers) {
  test_system ts;
  metrics live;
  publisher pub{1, nullptr, &live};
  auto subs = idle_actors(ts, fan_out);
  driven_actor owner{ts};
  actor_comparisons = 0;
  owner.step([&](caf::event_based_actor* self) {
    for (auto& s : subs)
      pub.add(self, s, progress_tracker::no_band);
    // Subscribing again changes nothing.
    for (auto& s : subs)
      pub.add(self, s, progress_tracker::no_band);
    // Requests for a watermark not reached yet are remembered.
    for (size_t i = 0; i < subs.size(); ++i)
      EXPECT_TRUE(pub.request(self,
                              caf::actor_cast<caf::strong_actor_ptr>(subs[i]),
                              static_cast<int64_t>(i), -1));
  });
  EXPECT_EQ(pub.size(), fan_out);
  EXPECT_EQ(pub.max_request(), static_cast<int64_t>(fan_out - 1));
  // A hash lookup compares a handle about once; a linear search would
  // compare it with half the subscribers on average.
  EXPECT_LT(actor_comparisons, 4 * 3 * fan_out);
  // Removing keeps the others findable.
  pub.remove(subs[7]);
  EXPECT_EQ(pub.size(), fan_out - 1);
  pub.replace(subs[8], subs[7]);
  owner.step([&](caf::event_based_actor* self) {
    EXPECT_TRUE(pub.request(
      self, caf::actor_cast<caf::strong_actor_ptr>(subs[7]), 1, -1));
    EXPECT_FALSE(pub.request(
      self, caf::actor_cast<caf::strong_actor_ptr>(subs[8]), 1, -1));
    EXPECT_TRUE(pub.request(
      self, caf::actor_cast<caf::strong_actor_ptr>(subs[9]), 1, -1));
  });
}

TEST(Fanout, AnOutboxGathersPerReceiverInLinearWork) {
  test_system ts;
  auto to = idle_actors(ts, fan_out);
  outbox box;
  actor_comparisons = 0;
  for (int round = 0; round < 2; ++round)
    for (auto& x : to)
      box.add(x, batch{1, {}, round});
  EXPECT_LT(actor_comparisons, 4 * 2 * fan_out);
}
