#include <cmath>
#include <cstdlib>
#include <gtest/gtest.h>
#include <limits>
#include <optional>
#include <random>
#include <vector>

#include "runtime/core/types.hpp"
#include "runtime/functions/rolling_fns.hpp"
#include "tests/support/alloc_counter.hpp"

using namespace shoal;

namespace {

/// Feeds `xs` at timestamps 1, 2, 3, ... and returns the outputs.
std::vector<double> feed(node_fn& f, const std::vector<double>& xs) {
  std::vector<double> res;
  std::string err;
  int64_t ts = 0;
  for (double x : xs) {
    double out = NAN;
    EXPECT_EQ(f.call(++ts, &x, 1, out, err), fn_status::value) << err;
    res.push_back(out);
  }
  return res;
}

/// Feeds points and returns the outputs.
std::vector<double> feed(node_fn& f, const std::vector<point>& pts) {
  std::vector<double> res;
  std::string err;
  for (auto p : pts) {
    double out = NAN;
    EXPECT_EQ(f.call(p.ts, &p.value, 1, out, err), fn_status::value) << err;
    res.push_back(out);
  }
  return res;
}

void expect_near_all(const std::vector<double>& got,
                     const std::vector<double>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i)
    EXPECT_NEAR(got[i], want[i], 1e-12) << "at output " << i;
}

} // namespace

TEST(RollingFns, ParsesTheirNames) {
  EXPECT_EQ(parse_rolling_op("rolling_std"), rolling_op::std);
  EXPECT_EQ(parse_rolling_op("rolling_min"), rolling_op::min);
  EXPECT_EQ(parse_rolling_op("rolling_median"), std::nullopt);
  EXPECT_STREQ(to_string(rolling_op::sum), "rolling_sum");
}

TEST(RollingFns, CountWindowSumAndMeanStartWithFewerSamples) {
  // Window 3 over 1, 2, 3, 4, 10: the windows are [1], [1 2], [1 2 3],
  // [2 3 4], [3 4 10].
  std::vector<double> xs{1, 2, 3, 4, 10};
  auto sum = make_rolling_count_fn(rolling_op::sum, 3);
  expect_near_all(feed(*sum, xs), {1, 3, 6, 9, 17});
  auto mean = make_rolling_count_fn(rolling_op::mean, 3);
  expect_near_all(feed(*mean, xs), {1, 1.5, 2, 3, 17.0 / 3});
}

TEST(RollingFns, CountWindowMinAndMax) {
  // Window 3 over 5 3 4 1 6 7 2: windows [5] [5 3] [5 3 4] [3 4 1] [4 1 6]
  // [1 6 7] [6 7 2].
  std::vector<double> xs{5, 3, 4, 1, 6, 7, 2};
  auto lo = make_rolling_count_fn(rolling_op::min, 3);
  expect_near_all(feed(*lo, xs), {5, 3, 3, 1, 1, 1, 2});
  auto hi = make_rolling_count_fn(rolling_op::max, 3);
  expect_near_all(feed(*hi, xs), {5, 5, 5, 4, 6, 7, 7});
}

TEST(RollingFns, CountWindowOfOneIsTheInput) {
  std::vector<double> xs{3, -1, 7};
  for (auto op :
       {rolling_op::mean, rolling_op::sum, rolling_op::min, rolling_op::max}) {
    auto f = make_rolling_count_fn(op, 1);
    expect_near_all(feed(*f, xs), xs);
  }
  auto sd = make_rolling_count_fn(rolling_op::std, 1);
  expect_near_all(feed(*sd, xs), {0, 0, 0});
}

TEST(RollingFns, StdIsThePopulationStd) {
  // Window 3 over 2 4 4 4 5 5 7 9 (population variance, ddof = 0):
  // [2] 0; [2 4] mean 3, var 1; [2 4 4] mean 10/3, var (16+4+4)/27 = 8/9;
  // [4 4 4] 0; [4 4 5] mean 13/3, var (1+1+4)/27 = 2/9; [4 5 5] 2/9;
  // [5 5 7] mean 17/3, var (4+4+16)/27 = 8/9; [5 7 9] mean 7, var 8/3.
  std::vector<double> xs{2, 4, 4, 4, 5, 5, 7, 9};
  auto sd = make_rolling_count_fn(rolling_op::std, 3);
  expect_near_all(feed(*sd, xs),
                  {0, 1, std::sqrt(8.0 / 9), 0, std::sqrt(2.0 / 9),
                   std::sqrt(2.0 / 9), std::sqrt(8.0 / 9), std::sqrt(8.0 / 3)});
  // The whole sequence: mean 5, squared deviations 9+1+1+1+0+0+4+16 = 32,
  // var 32/8 = 4, std 2.
  auto all = make_rolling_count_fn(rolling_op::std, 8);
  EXPECT_NEAR(feed(*all, xs).back(), 2.0, 1e-12);
}

TEST(RollingFns, TimeWindowExcludesItsLowerBound) {
  // W = 10 ns; samples (ts, x): (0,1) (5,2) (10,3) (15,4) (25,5).
  // Windows (t-10, t]: t=0 {0}; t=5 {0,5}; t=10 {5,10} (ts 0 is exactly on
  // the open bound); t=15 {10,15}; t=25 {25} (ts 15 is on the bound).
  std::vector<point> pts{{0, 1}, {5, 2}, {10, 3}, {15, 4}, {25, 5}};
  auto sum = make_rolling_time_fn(rolling_op::sum, 10);
  expect_near_all(feed(*sum, pts), {1, 3, 5, 7, 5});
  auto mean = make_rolling_time_fn(rolling_op::mean, 10);
  expect_near_all(feed(*mean, pts), {1, 1.5, 2.5, 3.5, 5});
  auto lo = make_rolling_time_fn(rolling_op::min, 10);
  expect_near_all(feed(*lo, pts), {1, 1, 2, 3, 5});
  auto hi = make_rolling_time_fn(rolling_op::max, 10);
  expect_near_all(feed(*hi, pts), {1, 2, 3, 4, 5});
  // {0,5}: values 1 2, std 0.5; {5,10}: 2 3, 0.5; {10,15}: 3 4, 0.5; {25}: 0.
  auto sd = make_rolling_time_fn(rolling_op::std, 10);
  expect_near_all(feed(*sd, pts), {0, 0.5, 0.5, 0.5, 0});
}

TEST(RollingFns, TimeWindowKeepsASampleJustInside) {
  // W = 10: at t = 10, ts 1 is inside (10 - 10 < 1), ts 0 is not.
  std::vector<point> pts{{0, 100}, {1, 7}, {10, 3}};
  auto hi = make_rolling_time_fn(rolling_op::max, 10);
  expect_near_all(feed(*hi, pts), {100, 100, 7});
  auto sum = make_rolling_time_fn(rolling_op::sum, 10);
  expect_near_all(feed(*sum, pts), {100, 107, 10});
}

TEST(RollingFns, TimeWindowHandlesExtremeTimestamps) {
  // The distance between these timestamps overflows int64; the old sample
  // must still leave the window rather than wrap around.
  int64_t lo_ts = std::numeric_limits<int64_t>::min() + 1;
  std::vector<point> pts{{lo_ts, 5}, {wm_end - 1, 2}};
  auto sum = make_rolling_time_fn(rolling_op::sum, 1'000'000'000);
  expect_near_all(feed(*sum, pts), {5, 2});
  auto hi = make_rolling_time_fn(rolling_op::max, 1'000'000'000);
  expect_near_all(feed(*hi, pts), {5, 2});
}

TEST(RollingFns, StdOfAConstantIsExactlyZero) {
  // 1e9 + 0.1 is not exact in binary: any cancellation would show.
  std::vector<double> xs(1000, 1e9 + 0.1);
  for (auto& f : {make_rolling_count_fn(rolling_op::std, 10),
                  make_rolling_count_fn(rolling_op::std, 5000)})
    for (double y : feed(*f, xs))
      ASSERT_EQ(y, 0.0);
  // A constant run after varied data, once it fills the window.
  std::vector<double> ys{1e9, -3, 0.25, 7e5};
  ys.insert(ys.end(), 50, 0.3);
  auto sd = make_rolling_count_fn(rolling_op::std, 10);
  auto out = feed(*sd, ys);
  for (size_t i = 4 + 9; i < out.size(); ++i)
    ASSERT_EQ(out[i], 0.0) << "at output " << i;
  std::vector<point> pts;
  for (int64_t i = 0; i < 100; ++i)
    pts.push_back({i * 7, -2.2});
  for (double y : feed(*make_rolling_time_fn(rolling_op::std, 30), pts))
    ASSERT_EQ(y, 0.0);
}

TEST(RollingFns, StdIsNeverNegativeOrNaN) {
  std::mt19937_64 gen{7};
  std::uniform_real_distribution<double> noise{-1e-7, 1e-7};
  std::vector<double> xs;
  for (int i = 0; i < 20000; ++i)
    xs.push_back(1e9 + (i % 3 == 0 ? 0.0 : noise(gen)));
  auto sd = make_rolling_count_fn(rolling_op::std, 4);
  for (double y : feed(*sd, xs)) {
    ASSERT_FALSE(std::isnan(y));
    ASSERT_GE(y, 0.0);
  }
}

TEST(RollingFns, CountWindowMemoryIsBoundedByTheWindow) {
  std::vector<double> xs(10000);
  for (size_t i = 0; i < xs.size(); ++i)
    xs[i] = static_cast<double>(i % 17);
  for (auto op : {rolling_op::mean, rolling_op::std, rolling_op::max}) {
    auto f = make_rolling_count_fn(op, 100);
    feed(*f, xs);
    // 100 entries of at most 16 bytes, plus the object.
    EXPECT_LE(f->memory_bytes(), 2048u) << to_string(op);
    // Mean and std keep the whole window; the max deque only the candidates.
    if (op != rolling_op::max) {
      EXPECT_GE(f->memory_bytes(), 100 * sizeof(double)) << to_string(op);
    }
  }
  // A huge window does not reserve its size up front.
  auto big = make_rolling_count_fn(rolling_op::sum, 1'000'000'000);
  feed(*big, std::vector<double>{1, 2, 3});
  EXPECT_LE(big->memory_bytes(), 1024u);
}

TEST(RollingFns, TimeWindowGivesMemoryBackAfterABurst) {
  auto f = make_rolling_time_fn(rolling_op::mean, 1'000'000);
  std::vector<point> burst;
  for (int64_t i = 0; i < 10000; ++i)
    burst.push_back({i, 1.0});
  feed(*f, burst);
  EXPECT_GE(f->memory_bytes(), 10000 * sizeof(point));
  // Then one sample a second: the window holds one sample at a time.
  std::vector<point> slow;
  for (int64_t i = 1; i <= 20; ++i)
    slow.push_back({i * 1'000'000'000, 2.0});
  EXPECT_EQ(feed(*f, slow).back(), 2.0);
  EXPECT_LE(f->memory_bytes(), 1024u);
}

TEST(RollingFns, NoAllocationPerCallOnceWindowsAreFull) {
  std::vector<node_fn_ptr> fns;
  for (auto op : {rolling_op::mean, rolling_op::sum, rolling_op::min,
                  rolling_op::max, rolling_op::std}) {
    fns.push_back(make_rolling_count_fn(op, 50));
    fns.push_back(make_rolling_time_fn(op, 500));
  }
  std::mt19937_64 gen{3};
  std::uniform_real_distribution<double> dist{-1e3, 1e3};
  std::string err;
  double out = 0;
  auto run = [&](int64_t from, int64_t to) {
    for (int64_t ts = from; ts < to; ts += 10) {
      double x = dist(gen);
      for (auto& f : fns)
        ASSERT_EQ(f->call(ts, &x, 1, out, err), fn_status::value);
    }
  };
  run(0, 10000); // Windows reach their steady size (50 samples each).
  auto before = test_support::heap_allocations();
  run(10000, 200000);
  EXPECT_EQ(test_support::heap_allocations(), before);
}

TEST(RollingFns, RejectsAWrongInputCount) {
  auto f = make_rolling_count_fn(rolling_op::mean, 3);
  double args[2] = {1, 2};
  double out = 0;
  std::string err;
  EXPECT_EQ(f->call(1, args, 2, out, err), fn_status::error);
  EXPECT_EQ(err, "rolling_mean takes one input");
}
