// The publisher on CAF's deterministic test scheduler: who gets which batch,
// in which order, and when a watermark goes out alone.

#include <gtest/gtest.h>

#include "actors/dataflow/publisher.hpp"
#include "runtime/core/metrics.hpp"
#include "tests/support/test_system.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

constexpr uint64_t key = 42;
constexpr auto no_band = progress_tracker::no_band;

batch make_batch(std::vector<point> points, int64_t wm) {
  batch b;
  b.from = key;
  b.points = std::move(points);
  b.wm = wm;
  return b;
}

/// Compares the batches a probe got with `want`, field by field.
void expect_batches(const probe_log& log, const std::vector<batch>& want) {
  ASSERT_EQ(log.batches.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    auto& got = log.batches[i];
    EXPECT_EQ(got.from, want[i].from) << "batch " << i;
    EXPECT_EQ(got.points, want[i].points) << "batch " << i;
    EXPECT_EQ(got.wm, want[i].wm) << "batch " << i;
    EXPECT_EQ(got.token, progress_tracker::no_token) << "batch " << i;
  }
  EXPECT_TRUE(log.others.empty());
}

caf::strong_actor_ptr ptr(const caf::actor& a) {
  return caf::actor_cast<caf::strong_actor_ptr>(a);
}

class Publisher : public ::testing::Test {
protected:
  test_system ts;
  metrics live;
  publisher pub{key, nullptr, &live};
  driven_actor owner{ts};
};

} // namespace

TEST_F(Publisher, SendsEachSubscriberItsBatchesInOrder) {
  auto a = ts.spawn_probe();
  auto b = ts.spawn_probe();
  owner.step([&](caf::event_based_actor* self) {
    pub.add(self, a.actor, no_band);
    pub.add(self, b.actor, no_band);
    // Subscribing again changes nothing.
    pub.add(self, a.actor, no_band);
    pub.push({1, 1.5});
    pub.push({2, 2.5});
    pub.flush(self, 2);
  });
  owner.step([&](caf::event_based_actor* self) {
    pub.push({3, 3.5});
    pub.flush(self, 3);
  });
  EXPECT_EQ(pub.size(), 2u);
  auto want = std::vector<batch>{make_batch({{1, 1.5}, {2, 2.5}}, 2),
                                 make_batch({{3, 3.5}}, 3)};
  expect_batches(*a.log, want);
  expect_batches(*b.log, want);
  EXPECT_EQ(pub.last(), (point{3, 3.5}));
  // Every batch sent is counted on the counters handed in.
  EXPECT_EQ(live.backlog(), 4);
}

TEST_F(Publisher, SendsAWatermarkAloneOnlyToWhoAskedForIt) {
  auto a = ts.spawn_probe();
  auto b = ts.spawn_probe();
  owner.step([&](caf::event_based_actor* self) {
    pub.add(self, a.actor, no_band);
    pub.add(self, b.actor, no_band);
    // `a` waits for 5; the watermark is 0.
    EXPECT_TRUE(pub.request(self, ptr(a.actor), 5, 0));
    pub.flush(self, 3);
  });
  EXPECT_TRUE(a.log->batches.empty());
  EXPECT_TRUE(b.log->batches.empty());
  EXPECT_EQ(pub.max_request(), 5);
  owner.step([&](caf::event_based_actor* self) {
    pub.flush(self, 6);
  });
  expect_batches(*a.log, {make_batch({}, 6)});
  EXPECT_TRUE(b.log->batches.empty());
  EXPECT_EQ(pub.max_request(), wm_none);
  owner.step([&](caf::event_based_actor* self) {
    // Already satisfied: answered at once with the current watermark.
    EXPECT_TRUE(pub.request(self, ptr(b.actor), 4, 6));
  });
  expect_batches(*b.log, {make_batch({}, 6)});
  owner.step([&](caf::event_based_actor* self) {
    // At end of stream every subscriber gets it.
    pub.flush(self, wm_end);
  });
  expect_batches(*a.log, {make_batch({}, 6), make_batch({}, wm_end)});
  expect_batches(*b.log, {make_batch({}, 6), make_batch({}, wm_end)});
  EXPECT_EQ(live.backlog(), 4);
}

TEST_F(Publisher, RefusesRequestsOfNonSubscribers) {
  auto a = ts.spawn_probe();
  owner.step([&](caf::event_based_actor* self) {
    EXPECT_FALSE(pub.request(self, ptr(a.actor), 5, 10));
  });
  EXPECT_TRUE(a.log->batches.empty());
}

TEST_F(Publisher, DropsOutputsWithoutSubscribersAndStopsSendingOnRemove) {
  auto a = ts.spawn_probe();
  owner.step([&](caf::event_based_actor* self) {
    pub.push({1, 1.0});
    pub.flush(self, 1);
    pub.add(self, a.actor, no_band);
    pub.push({2, 2.0});
    pub.flush(self, 2);
    pub.remove(a.actor);
    pub.push({3, 3.0});
    pub.flush(self, wm_end);
  });
  expect_batches(*a.log, {make_batch({{2, 2.0}}, 2)});
  EXPECT_EQ(pub.size(), 0u);
  EXPECT_EQ(live.backlog(), 1);
}

TEST_F(Publisher, GathersBatchesInAnOutboxAsOneMessagePerReceiver) {
  auto a = ts.spawn_probe();
  publisher other{key + 1, nullptr, &live};
  owner.step([&](caf::event_based_actor* self) {
    pub.add(self, a.actor, no_band);
    other.add(self, a.actor, no_band);
    outbox box;
    pub.push({1, 1.0});
    pub.flush(self, 1, &box);
    other.push({1, 2.0});
    other.flush(self, 1, &box);
    box.send(self);
  });
  // Both batches in one message, in the order they were gathered.
  EXPECT_EQ(a.log->messages, 1u);
  ASSERT_EQ(a.log->batches.size(), 2u);
  EXPECT_EQ(a.log->batches[0].from, key);
  EXPECT_EQ(a.log->batches[0].points, (std::vector<point>{{1, 1.0}}));
  EXPECT_EQ(a.log->batches[1].from, key + 1);
  EXPECT_EQ(a.log->batches[1].points, (std::vector<point>{{1, 2.0}}));
  EXPECT_EQ(a.log->batches[1].wm, 1);
  EXPECT_EQ(live.backlog(), 2);
}

TEST_F(Publisher, GathersTheNeedsOfARunAsTheSmallestAndLargestPerReceiver) {
  auto a = ts.spawn_probe();
  auto b = ts.spawn_probe();
  auto c = ts.spawn_probe();
  owner.step([&](caf::event_based_actor* self) {
    outbox box;
    // Many nodes of a cell asking one receiver in a run: two messages.
    for (int64_t t : {30, 10, 50, 20, 40})
      box.need(a.actor, t);
    box.need(b.actor, 7);
    box.need(b.actor, 7);
    box.send(self);
    // The outbox is empty after sending: a later run asks again.
    box.need(c.actor, 3);
    box.send(self);
    box.send(self);
  });
  auto needs = [](const probe_log& log) {
    std::vector<int64_t> asked;
    for (auto& m : log.others)
      if (m.match_elements<need_atom, int64_t>())
        asked.push_back(m.get_as<int64_t>(1));
    EXPECT_EQ(asked.size(), log.others.size()) << "only needs were sent";
    return asked;
  };
  EXPECT_EQ(needs(*a.log), (std::vector<int64_t>{10, 50}));
  EXPECT_EQ(needs(*b.log), (std::vector<int64_t>{7}));
  EXPECT_EQ(needs(*c.log), (std::vector<int64_t>{3}));
  EXPECT_TRUE(a.log->batches.empty());
}

TEST_F(Publisher, AnOutboxIndexesManyReceiversOfNeeds) {
  // Past actor_index::min_indexed receivers the outbox finds each by its
  // index: every receiver still gets its own range once.
  std::vector<probed> xs;
  for (int i = 0; i < 40; ++i)
    xs.push_back(ts.spawn_probe());
  owner.step([&](caf::event_based_actor* self) {
    outbox box;
    for (int round = 0; round < 3; ++round)
      for (size_t i = 0; i < xs.size(); ++i)
        box.need(xs[i].actor, static_cast<int64_t>(i * 10 + round));
    box.send(self);
  });
  for (size_t i = 0; i < xs.size(); ++i) {
    ASSERT_EQ(xs[i].log->others.size(), 2u) << "receiver " << i;
    EXPECT_EQ(xs[i].log->others[0].get_as<int64_t>(1),
              static_cast<int64_t>(i * 10));
    EXPECT_EQ(xs[i].log->others[1].get_as<int64_t>(1),
              static_cast<int64_t>(i * 10 + 2));
  }
}
