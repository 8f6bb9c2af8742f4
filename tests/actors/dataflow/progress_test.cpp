// The progress tracker on its own: frontiers per band follow the sources'
// watermarks and the items counted below each band; a node waiting for
// its band frontier.

#include <gtest/gtest.h>

#include "caf/all.hpp"

#include "actors/dataflow/node_core.hpp"
#include "actors/dataflow/progress.hpp"

using namespace shoal;

namespace {

constexpr int64_t ms = 1'000'000;

/// Advances `t` and returns the number of notices.
size_t advance(progress_tracker& t) {
  size_t n = 0;
  t.advance([&](const caf::actor&, uint32_t, int64_t) {
    ++n;
  });
  return n;
}

} // namespace

TEST(ProgressTracker, FrontierFollowsTheSlowestSource) {
  progress_tracker t{3, ms};
  auto a = t.add_source(10 * ms);
  auto b = t.add_source(20 * ms);
  ASSERT_TRUE(a && b);
  advance(t);
  for (uint32_t band = 0; band < 3; ++band)
    EXPECT_EQ(t.frontier(band), 10 * ms);
  t.set_source_wm(*a, 30 * ms + 7);
  advance(t);
  EXPECT_EQ(t.frontier(2), 20 * ms);
  t.set_source_wm(*b, 40 * ms);
  advance(t);
  EXPECT_EQ(t.frontier(2), 30 * ms + 7);
}

TEST(ProgressTracker, ItemsHoldBackOnlyTheBandsAboveThem) {
  progress_tracker t{4, ms};
  auto src = t.add_source(0);
  ASSERT_TRUE(src);
  advance(t);
  // An item of band 1 at 5.5 ms, then the source moves to 9 ms.
  auto token = t.token_for(5 * ms + ms / 2);
  t.add(1, token);
  t.set_source_wm(*src, 9 * ms);
  advance(t);
  EXPECT_EQ(t.frontier(0), 9 * ms);
  EXPECT_EQ(t.frontier(1), 9 * ms);
  // Bands 2 and 3 stop before the item's epoch.
  EXPECT_EQ(t.frontier(2), 5 * ms - 1);
  EXPECT_EQ(t.frontier(3), 5 * ms - 1);
  // The holder hands its work to band 2 before releasing it.
  auto out = t.token_for(6 * ms);
  t.add(2, out);
  t.release(1, token);
  advance(t);
  EXPECT_EQ(t.frontier(2), 9 * ms);
  EXPECT_EQ(t.frontier(3), 6 * ms - 1);
  t.release(2, out);
  advance(t);
  EXPECT_EQ(t.frontier(3), 9 * ms);
  EXPECT_EQ(t.outstanding(), 0);
}

TEST(ProgressTracker, AnItemInTheSourcesEpochKeepsItsBandsBelowTheWatermark) {
  progress_tracker t{2, ms};
  auto src = t.add_source(0);
  ASSERT_TRUE(src);
  advance(t);
  t.add(0, t.token_for(9 * ms + 3));
  t.set_source_wm(*src, 9 * ms + 5);
  advance(t);
  EXPECT_EQ(t.frontier(0), 9 * ms + 5);
  EXPECT_EQ(t.frontier(1), 9 * ms - 1);
}

TEST(ProgressTracker, FrontiersNeverGoBack) {
  progress_tracker t{2, ms};
  auto src = t.add_source(0);
  ASSERT_TRUE(src);
  t.set_source_wm(*src, 3 * ms + 5);
  advance(t);
  EXPECT_EQ(t.frontier(1), 3 * ms + 5);
  // New work in the same epoch, after the watermark.
  auto token = t.token_for(3 * ms + 9);
  t.add(0, token);
  advance(t);
  EXPECT_EQ(t.frontier(1), 3 * ms + 5);
  t.release(0, token);
}

TEST(ProgressTracker, FarFutureItemsDoNotHoldTheWindow) {
  progress_tracker t{2, ms, 16};
  auto src = t.add_source(0);
  ASSERT_TRUE(src);
  advance(t);
  // An item a year ahead is counted aside.
  auto far = t.token_for(int64_t{365} * 24 * 3600 * 1'000'000'000);
  EXPECT_LT(far, 0);
  t.add(0, far);
  t.set_source_wm(*src, 100 * ms);
  for (int i = 0; i < 20; ++i)
    advance(t);
  EXPECT_EQ(t.frontier(1), 100 * ms);
  t.release(0, far);
  EXPECT_EQ(t.outstanding(), 0);
}

TEST(ProgressTracker, WaitersAreNotifiedWhenTheirBandReachesThem) {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  auto who = caf::actor_cast<caf::actor>(self);
  progress_tracker t{3, ms};
  auto src = t.add_source(0);
  ASSERT_TRUE(src);
  advance(t);
  EXPECT_EQ(t.wait(2, 5 * ms, who), 0);
  EXPECT_EQ(t.wait(1, 8 * ms, who), 0);
  t.set_source_wm(*src, 6 * ms);
  EXPECT_EQ(advance(t), 1u);
  t.set_source_wm(*src, 8 * ms);
  EXPECT_EQ(advance(t), 1u);
  EXPECT_EQ(advance(t), 0u);
  // Already reached: nothing is registered, the caller notifies itself.
  EXPECT_EQ(t.wait(2, 7 * ms, who), 8 * ms);
  EXPECT_EQ(advance(t), 0u);
}

TEST(ProgressTracker, RefusesTooManySources) {
  progress_tracker t{1};
  for (size_t i = 0; i < progress_tracker::max_sources; ++i)
    ASSERT_TRUE(t.add_source(0));
  EXPECT_FALSE(t.add_source(0));
}

namespace {

/// A model over two inputs in band 2, whose inputs are in bands 0 and 1.
node_core waiting_model(progress_tracker& t) {
  node_spec spec;
  spec.name = "m";
  spec.kind = node_kind::model;
  spec.fn = "linear";
  spec.needs = {"a", "b"};
  spec.weights = {1.0, 1.0};
  auto core = node_core::make(spec, &t, 2, {0, 1});
  EXPECT_TRUE(core);
  return std::move(*core);
}

} // namespace

TEST(NodeCore, AWaitStaysRegisteredUntilAFrontierReachesIt) {
  // In a cell several nodes of one band share the actor, so a notice meant
  // for one reaches all of them: a node whose wait is later must keep it,
  // or it registers again and notices multiply.
  progress_tracker t{3, ms};
  auto src = t.add_source(10 * ms);
  ASSERT_TRUE(src);
  advance(t);
  auto c = waiting_model(t);
  caf::actor self;
  EXPECT_EQ(c.wait_frontier(50 * ms, self), wm_none);
  c.frontier(20 * ms);
  EXPECT_EQ(c.waiting, 50 * ms);
  // Already registered: no second registration.
  EXPECT_EQ(c.wait_frontier(50 * ms, self), wm_none);
  t.set_source_wm(*src, 60 * ms);
  EXPECT_EQ(advance(t), 1u);
  // Its notice came: the covered inputs advance and the wait is over.
  c.frontier(60 * ms);
  EXPECT_EQ(c.waiting, wm_end);
  EXPECT_EQ(c.join.input_wm(0), 60 * ms);
  EXPECT_EQ(c.join.input_wm(1), 60 * ms);
  // A wait the frontier already passed is answered at once.
  EXPECT_EQ(c.wait_frontier(55 * ms, self), 60 * ms);
}
