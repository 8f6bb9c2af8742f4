// rolling_quantile (SPEC section 12): hand-computed values, and long random
// streams against sorting the window.

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>
#include <random>
#include <string>
#include <vector>

#include "runtime/core/types.hpp"
#include "runtime/functions/quantile_fns.hpp"
#include "tests/support/alloc_counter.hpp"

using namespace shoal;

namespace {

std::vector<double> feed(node_fn& f, const std::vector<point>& xs) {
  std::vector<double> res;
  for (auto p : xs) {
    double out = NAN;
    std::string err;
    EXPECT_EQ(f.call(p.ts, &p.value, 1, out, err), fn_status::value) << err;
    res.push_back(out);
  }
  return res;
}

/// numpy's linear quantile, by sorting.
double sorted_quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  double p = q * static_cast<double>(v.size() - 1);
  auto f = static_cast<size_t>(std::floor(p));
  auto c = static_cast<size_t>(std::ceil(p));
  return v[f] + (v[c] - v[f]) * (p - std::floor(p));
}

} // namespace

TEST(QuantileFns, MedianOfEvenAndOddWindowsWithEviction) {
  // Window 4, q 0.5: [3] 3; [1 3] 2; [1 3 4] 3; [1 1 3 4] p 1.5: 1 + 2/2;
  // 3 evicted: [1 1 4 5] p 1.5: 1 + 3/2.
  auto f = make_quantile_count_fn(0.5, 4);
  EXPECT_EQ(feed(*f, {{1, 3}, {2, 1}, {3, 4}, {4, 1}, {5, 5}}),
            (std::vector<double>{3, 2, 3, 2, 2.5}));
}

TEST(QuantileFns, ZeroAndOneAreTheWindowsMinAndMax) {
  std::vector<point> xs{{1, 5}, {2, 2}, {3, 8}, {4, 1}, {5, 9}, {6, 3}};
  auto lo = make_quantile_count_fn(0, 3);
  EXPECT_EQ(feed(*lo, xs), (std::vector<double>{5, 2, 2, 1, 1, 1}));
  auto hi = make_quantile_count_fn(1, 3);
  EXPECT_EQ(feed(*hi, xs), (std::vector<double>{5, 5, 8, 8, 9, 9}));
}

TEST(QuantileFns, InterpolatesBetweenRanks) {
  // q 0.25: n 4 [10 20 30 40] p 0.75: 17.5; n 5 p 1: 20.
  auto f = make_quantile_count_fn(0.25, 5);
  auto out = feed(*f, {{1, 40}, {2, 10}, {3, 30}, {4, 20}, {5, 50}});
  EXPECT_EQ(out[3], 17.5);
  EXPECT_EQ(out[4], 20.0);
}

TEST(QuantileFns, TimeWindowEvictsByTimestamp) {
  // (t - 10, t], q 0.5: {4} 4; {4 8} 6; {8 6} 7; {1} 1.
  auto f = make_quantile_time_fn(0.5, 10);
  EXPECT_EQ(feed(*f, {{0, 4}, {5, 8}, {10, 6}, {21, 1}}),
            (std::vector<double>{4, 6, 7, 1}));
}

TEST(QuantileFns, RepeatedValuesAndOppositeExtremes) {
  auto f = make_quantile_count_fn(0.5, 2);
  EXPECT_EQ(feed(*f, {{1, 2}, {2, 2}, {3, 2}}), (std::vector<double>{2, 2, 2}));
  // The step from -1e308 to 1e308 overflows; the midpoint does not.
  auto g = make_quantile_count_fn(0.5, 2);
  EXPECT_EQ(feed(*g, {{1, -1e308}, {2, 1e308}})[1], 0.0);
}

TEST(QuantileFns, LongStreamsMatchSortingTheWindow) {
  std::mt19937_64 gen{3};
  std::uniform_int_distribution<int> small{0, 20};
  std::uniform_int_distribution<int64_t> step{1, 9};
  for (double q : {0.0, 0.1, 0.5, 0.9, 1.0}) {
    SCOPED_TRACE(q);
    auto count = make_quantile_count_fn(q, 17);
    auto timed = make_quantile_time_fn(q, 60);
    std::vector<point> xs;
    int64_t ts = -500;
    for (int i = 0; i < 3000; ++i) {
      // Few distinct values: many ties across the split.
      xs.push_back({ts += step(gen), small(gen) * 0.5});
      double a = NAN;
      double b = NAN;
      std::string err;
      count->call(xs.back().ts, &xs.back().value, 1, a, err);
      timed->call(xs.back().ts, &xs.back().value, 1, b, err);
      std::vector<double> last;
      for (size_t k = xs.size() > 17 ? xs.size() - 17 : 0; k < xs.size(); ++k)
        last.push_back(xs[k].value);
      std::vector<double> recent;
      for (auto& p : xs)
        if (p.ts > ts - 60)
          recent.push_back(p.value);
      ASSERT_NEAR(a, sorted_quantile(last, q), 1e-12) << i;
      ASSERT_NEAR(b, sorted_quantile(recent, q), 1e-12) << i;
    }
  }
}

TEST(QuantileFns, CountWindowDoesNotAllocateOnceFull) {
  auto f = make_quantile_count_fn(0.5, 1000);
  std::mt19937_64 gen{4};
  std::uniform_real_distribution<double> value{-1, 1};
  std::string err;
  double out = 0;
  int64_t ts = 0;
  for (int i = 0; i < 2000; ++i) {
    double x = value(gen);
    f->call(++ts, &x, 1, out, err);
  }
  auto before = test_support::heap_allocations();
  for (int i = 0; i < 10000; ++i) {
    double x = value(gen);
    f->call(++ts, &x, 1, out, err);
  }
  EXPECT_EQ(test_support::heap_allocations(), before);
}
