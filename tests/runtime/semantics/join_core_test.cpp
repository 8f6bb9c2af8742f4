#include <gtest/gtest.h>
#include <vector>

#include "runtime/semantics/join_core.hpp"

using namespace shoal;

namespace {

struct firing {
  int64_t t;
  std::vector<double> args;

  friend bool operator==(const firing& x, const firing& y) {
    return x.t == y.t && x.args == y.args;
  }
};

std::vector<firing> drain_all(join_core& j) {
  std::vector<firing> result;
  j.drain([&](int64_t t, const double* args, size_t n) {
    result.push_back({t, std::vector<double>(args, args + n)});
  });
  return result;
}

void push1(join_core& j, size_t i, int64_t ts, double v, int64_t wm) {
  point p{ts, v};
  j.push(i, &p, 1, wm);
}

} // namespace

TEST(JoinCore, SingleInputFiresOnEveryPointAtOnce) {
  join_core j{{true}};
  point pts[] = {{10, 1.0}, {20, 2.0}};
  j.push(0, pts, 2, wm_none);
  auto fired = drain_all(j);
  ASSERT_EQ(fired.size(), 2u);
  EXPECT_EQ(fired[0], (firing{10, {1.0}}));
  EXPECT_EQ(fired[1], (firing{20, {2.0}}));
  EXPECT_EQ(j.out_wm(), 20);
}

TEST(JoinCore, WaitsForTheSlowerInputsWatermark) {
  join_core j{{true, true}};
  push1(j, 1, 5, 50.0, 5);
  push1(j, 0, 10, 1.0, 10);
  // Input 1 may still send something at or before 10.
  EXPECT_TRUE(drain_all(j).empty());
  EXPECT_EQ(j.next_pending(), 10);
  EXPECT_EQ(j.input_wm(1), 5);
  EXPECT_EQ(j.out_wm(), 5);
  j.push(1, nullptr, 0, 10);
  auto fired = drain_all(j);
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0], (firing{10, {1.0, 50.0}}));
}

TEST(JoinCore, AsOfJoinUsesLatestValueAtOrBeforeT) {
  join_core j{{true, true}};
  point a[] = {{10, 1.0}, {30, 3.0}};
  point b[] = {{20, 200.0}, {30, 300.0}};
  j.push(0, a, 2, wm_none);
  j.push(1, b, 2, wm_none);
  auto fired = drain_all(j);
  // t=10: b has no value yet, so no firing; t=20 and t=30 fire once each.
  ASSERT_EQ(fired.size(), 2u);
  EXPECT_EQ(fired[0], (firing{20, {1.0, 200.0}}));
  EXPECT_EQ(fired[1], (firing{30, {3.0, 300.0}}));
}

TEST(JoinCore, TriggerSubsetFiresOnlyOnTriggerInputs) {
  join_core j{{false, true}};
  point a[] = {{10, 1.0}, {25, 2.5}};
  point b[] = {{20, 2.0}, {30, 3.0}};
  j.push(0, a, 2, wm_end);
  j.push(1, b, 2, wm_end);
  auto fired = drain_all(j);
  ASSERT_EQ(fired.size(), 2u);
  EXPECT_EQ(fired[0], (firing{20, {1.0, 2.0}}));
  EXPECT_EQ(fired[1], (firing{30, {2.5, 3.0}}));
  EXPECT_EQ(j.out_wm(), wm_end);
}

TEST(JoinCore, SeedGivesValueWithoutFiring) {
  join_core j{{true, true}};
  j.seed(1, {5, 7.0}, 5);
  EXPECT_TRUE(j.has_value(1));
  EXPECT_TRUE(drain_all(j).empty());
  push1(j, 0, 10, 1.0, wm_none);
  j.push(1, nullptr, 0, 12);
  auto fired = drain_all(j);
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0], (firing{10, {1.0, 7.0}}));
}

TEST(JoinCore, SameInputTwiceSeesTheSameValues) {
  join_core j{{true, true}};
  point a[] = {{10, 1.0}};
  j.push(0, a, 1, wm_none);
  j.push(1, a, 1, wm_none);
  auto fired = drain_all(j);
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0], (firing{10, {1.0, 1.0}}));
}

TEST(JoinCore, LongQueuesCompactWithoutLosingPoints) {
  join_core j{{true, true}};
  std::vector<point> a;
  for (int64_t t = 1; t <= 5000; ++t)
    a.push_back({t, static_cast<double>(t)});
  j.push(0, a.data(), a.size(), wm_none);
  size_t total = 0;
  for (int64_t t = 1000; t <= 5000; t += 1000) {
    j.push(1, nullptr, 0, t);
    total += drain_all(j).size();
    EXPECT_EQ(j.queued(), 5000u - static_cast<size_t>(t));
  }
  // Input 1 never produced a value, so nothing fired.
  EXPECT_EQ(total, 0u);
  EXPECT_EQ(j.out_wm(), 5000);
}
