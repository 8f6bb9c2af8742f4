// The ingest router on CAF's deterministic test scheduler: each sensor gets
// its own samples with the source's watermark, and a watermark alone when
// it asked for one or at end of stream.

#include <gtest/gtest.h>

#include "actors/sources/ingest_router.hpp"
#include "runtime/core/metrics.hpp"
#include "tests/support/test_system.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

constexpr uint64_t key = 7;

/// The batches `log` got, as (points, watermark) pairs.
std::vector<std::pair<std::vector<point>, int64_t>>
received(const probe_log& log) {
  std::vector<std::pair<std::vector<point>, int64_t>> result;
  for (auto& b : log.batches) {
    EXPECT_EQ(b.from, key);
    result.emplace_back(b.points, b.wm);
  }
  return result;
}

using got = std::vector<std::pair<std::vector<point>, int64_t>>;

class IngestRouter : public ::testing::Test {
protected:
  IngestRouter() {
    for (int i = 0; i < 3; ++i)
      sensors.push_back(ts.spawn_probe());
    std::vector<caf::actor> handles;
    for (auto& s : sensors)
      handles.push_back(s.actor);
    router = std::make_unique<ingest_router>(key, std::move(handles), &live);
  }

  test_system ts;
  metrics live;
  std::vector<probed> sensors;
  std::unique_ptr<ingest_router> router;
  driven_actor source{ts};
};

} // namespace

TEST_F(IngestRouter, SendsEachSensorItsSamplesWithTheWatermark) {
  source.step([&](caf::event_based_actor* self) {
    router->add(0, {1, 1.0});
    router->add(2, {2, 2.0});
    router->add(0, {3, 3.0});
    EXPECT_EQ(router->buffered(), 3u);
    router->flush(self, 3);
    EXPECT_EQ(router->buffered(), 0u);
  });
  EXPECT_EQ(received(*sensors[0].log), (got{{{{1, 1.0}, {3, 3.0}}, 3}}));
  EXPECT_EQ(received(*sensors[1].log), got{});
  EXPECT_EQ(received(*sensors[2].log), (got{{{{2, 2.0}}, 3}}));
  source.step([&](caf::event_based_actor* self) {
    router->add(2, {4, 4.0});
    router->flush(self, 4);
  });
  EXPECT_EQ(received(*sensors[0].log), (got{{{{1, 1.0}, {3, 3.0}}, 3}}));
  EXPECT_EQ(received(*sensors[2].log), (got{{{{2, 2.0}}, 3}, {{{4, 4.0}}, 4}}));
  EXPECT_EQ(live.backlog(), 3);
}

TEST_F(IngestRouter, AnswersAWatermarkRequestOnceTheWatermarkReachesIt) {
  source.step([&](caf::event_based_actor* self) {
    router->request(1, 5);
    router->flush(self, 4);
  });
  EXPECT_EQ(received(*sensors[1].log), got{});
  source.step([&](caf::event_based_actor* self) {
    router->flush(self, 6);
    // Answered: a second flush sends nothing more.
    router->flush(self, 7);
  });
  EXPECT_EQ(received(*sensors[1].log), (got{{{}, 6}}));
  EXPECT_EQ(received(*sensors[0].log), got{});
  source.step([&](caf::event_based_actor* self) {
    // A request already met by what was sent is dropped.
    router->request(1, 6);
    router->flush(self, wm_end);
  });
  for (auto& s : sensors)
    EXPECT_EQ(received(*s.log).back(),
              (std::pair<std::vector<point>, int64_t>{{}, wm_end}));
  EXPECT_EQ(received(*sensors[1].log), (got{{{}, 6}, {{}, wm_end}}));
  EXPECT_EQ(live.backlog(), 4);
}

TEST_F(IngestRouter, SwapsASensorAfterSendingWhatWasBufferedForIt) {
  auto moved = ts.spawn_probe();
  source.step([&](caf::event_based_actor* self) {
    router->add(1, {1, 1.0});
    router->swap_sensor(self, sensors[1].actor, moved.actor, 0);
    router->flush(self, 1);
  });
  source.step([&](caf::event_based_actor* self) {
    router->add(1, {2, 2.0});
    router->flush(self, 2);
  });
  EXPECT_EQ(received(*sensors[1].log), (got{{{{1, 1.0}}, 0}}));
  // The old actor learns it was swapped out, after its last batch.
  ASSERT_EQ(sensors[1].log->others.size(), 1u);
  auto& notice = sensors[1].log->others[0];
  EXPECT_TRUE((notice.match_elements<swapped_atom, uint64_t>()));
  EXPECT_EQ(notice.get_as<uint64_t>(1), key);
  // The new actor gets the watermark of the flush it was swapped in before,
  // then everything later.
  EXPECT_EQ(received(*moved.log), (got{{{}, 1}, {{{2, 2.0}}, 2}}));
  EXPECT_EQ(router->sensors()[1], moved.actor);
}

TEST(IngestRouterGroups, SensorsOfOneActorGetOneFeedPerFlush) {
  test_system ts;
  metrics live;
  auto group = ts.spawn_probe();
  auto alone = ts.spawn_probe();
  // Sensors 0 and 2 run in one actor (a cell group), sensor 1 alone.
  ingest_router router{key, {group.actor, alone.actor, group.actor}, &live};
  driven_actor source{ts};
  source.step([&](caf::event_based_actor* self) {
    router.add(2, {1, 1.0});
    router.add(1, {2, 2.0});
    router.add(0, {3, 3.0});
    router.flush(self, 3);
  });
  // The lone sensor gets a plain batch; the group one feed with both.
  EXPECT_EQ(received(*alone.log), (got{{{{2, 2.0}}, 3}}));
  EXPECT_TRUE(group.log->batches.empty());
  ASSERT_EQ(group.log->others.size(), 1u);
  ASSERT_TRUE(group.log->others[0].match_elements<sensor_feed>());
  auto feed = group.log->others[0].get_as<sensor_feed>(0);
  ASSERT_EQ(feed.sensors, (std::vector<uint32_t>{2, 0}));
  ASSERT_EQ(feed.batches.size(), 2u);
  EXPECT_EQ(feed.batches[0].points, (std::vector<point>{{1, 1.0}}));
  EXPECT_EQ(feed.batches[1].points, (std::vector<point>{{3, 3.0}}));
  for (auto& b : feed.batches) {
    EXPECT_EQ(b.from, key);
    EXPECT_EQ(b.wm, 3);
  }
  EXPECT_EQ(live.backlog(), 3);
  // At end of stream every sensor gets the watermark, still one feed.
  source.step([&](caf::event_based_actor* self) {
    router.flush(self, wm_end);
  });
  ASSERT_EQ(group.log->others.size(), 2u);
  auto last = group.log->others[1].get_as<sensor_feed>(0);
  EXPECT_EQ(last.sensors.size(), 2u);
  for (auto& b : last.batches)
    EXPECT_EQ(b.wm, wm_end);
}

TEST(IngestRouterGroups, ASensorSwappedOutOfAGroupGetsPlainBatches) {
  test_system ts;
  metrics live;
  auto group = ts.spawn_probe();
  auto moved = ts.spawn_probe();
  // Sensors 0 and 1 run in one actor; the first sensor of that actor (0)
  // moves to an actor of its own, which takes plain batches (it is no cell
  // group). (Cluster members, where sensors move, run one actor per
  // sensor; a swap names the sensor by its actor.)
  ingest_router router{key, {group.actor, group.actor}, &live};
  driven_actor source{ts};
  source.step([&](caf::event_based_actor* self) {
    router.swap_sensor(self, group.actor, moved.actor, 0);
  });
  source.step([&](caf::event_based_actor* self) {
    router.add(0, {1, 1.0});
    router.add(1, {2, 2.0});
    router.flush(self, 2);
  });
  EXPECT_EQ(received(*moved.log), (got{{{{1, 1.0}}, 2}}));
  // Sensor 1 is now alone in its actor too: a plain batch, no feed.
  EXPECT_EQ(received(*group.log), (got{{{{2, 2.0}}, 2}}));
  for (auto& m : group.log->others)
    EXPECT_FALSE(m.match_elements<sensor_feed>());
}
