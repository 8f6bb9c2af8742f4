#include <cmath>
#include <gtest/gtest.h>
#include <limits>
#include <optional>
#include <vector>

#include "runtime/functions/stream_fns.hpp"

using namespace shoal;

namespace {

/// Calls `f` once; returns the output, or nullopt on `fn_status::none`.
std::optional<double> step(node_fn& f, int64_t ts, double x) {
  double out = NAN;
  std::string err;
  auto st = f.call(ts, &x, 1, out, err);
  EXPECT_NE(st, fn_status::error) << err;
  if (st != fn_status::value)
    return std::nullopt;
  return out;
}

} // namespace

TEST(StreamFns, EwmaStartsAtTheFirstSample) {
  // alpha 0.5 over 2, 4, 8: 2; 0.5*4 + 0.5*2 = 3; 0.5*8 + 0.5*3 = 5.5.
  auto f = make_ewma_fn(0.5);
  EXPECT_EQ(step(*f, 1, 2), 2.0);
  EXPECT_EQ(step(*f, 2, 4), 3.0);
  EXPECT_EQ(step(*f, 3, 8), 5.5);
}

TEST(StreamFns, EwmaWeighsTheNewSampleByAlpha) {
  // alpha 0.25 over 10, 0, 0: 10; 0.75*10 = 7.5; 0.75*7.5 = 5.625.
  auto f = make_ewma_fn(0.25);
  EXPECT_EQ(step(*f, 5, 10), 10.0);
  EXPECT_EQ(step(*f, 6, 0), 7.5);
  EXPECT_EQ(step(*f, 9, 0), 5.625);
}

TEST(StreamFns, EwmaWithAlphaOneFollowsTheInput) {
  auto f = make_ewma_fn(1.0);
  int64_t ts = 0;
  for (double x : {3.0, -1.0, 1e9, 0.125})
    EXPECT_EQ(step(*f, ++ts, x), x);
}

TEST(StreamFns, DiffHasNoOutputAtTheFirstSample) {
  // 1, 4, 2, 2: none; 3; -2; 0.
  auto f = make_diff_fn();
  EXPECT_EQ(step(*f, 10, 1), std::nullopt);
  EXPECT_EQ(step(*f, 20, 4), 3.0);
  EXPECT_EQ(step(*f, 21, 2), -2.0);
  EXPECT_EQ(step(*f, 99, 2), 0.0);
}

TEST(StreamFns, RateIsPerSecond) {
  // (0 s, 10) (2 s, 14) (2.5 s, 13): none; 4/2 = 2; -1/0.5 = -2.
  auto f = make_rate_fn();
  EXPECT_EQ(step(*f, 0, 10), std::nullopt);
  EXPECT_EQ(step(*f, 2'000'000'000, 14), 2.0);
  EXPECT_EQ(step(*f, 2'500'000'000, 13), -2.0);
  // 1 ns later, +1: 1 / (1 / 1e9) per second, 1e9 up to rounding.
  auto r = step(*f, 2'500'000'001, 14);
  ASSERT_TRUE(r.has_value());
  EXPECT_DOUBLE_EQ(*r, 1e9);
}

TEST(StreamFns, RateHasNoOutputAtTheFirstSampleEvenAtTimeZero) {
  auto f = make_rate_fn();
  EXPECT_EQ(step(*f, -1'000'000'000, 5), std::nullopt);
  // Across the epoch: 2 s, +3.
  EXPECT_EQ(step(*f, 1'000'000'000, 8), 1.5);
}

TEST(StreamFns, RateSurvivesTimestampDistancesBeyondInt64) {
  auto f = make_rate_fn();
  EXPECT_EQ(step(*f, std::numeric_limits<int64_t>::min(), 0), std::nullopt);
  // 2^64 - 1 ns is about 18446744073.7 s; rise by as much: rate 1.
  auto r = step(*f, std::numeric_limits<int64_t>::max(), 18446744073.709552);
  ASSERT_TRUE(r.has_value());
  EXPECT_NEAR(*r, 1.0, 1e-12);
}

TEST(StreamFns, EachFunctionKeepsItsOwnState) {
  auto a = make_diff_fn();
  auto b = make_diff_fn();
  EXPECT_EQ(step(*a, 1, 1), std::nullopt);
  EXPECT_EQ(step(*a, 2, 5), 4.0);
  EXPECT_EQ(step(*b, 3, 100), std::nullopt);
  EXPECT_EQ(step(*a, 4, 6), 1.0);
}

TEST(StreamFns, RejectAWrongInputCount) {
  double args[2] = {1, 2};
  double out = 0;
  std::string err;
  EXPECT_EQ(make_ewma_fn(0.5)->call(1, args, 2, out, err), fn_status::error);
  EXPECT_EQ(err, "ewma takes one input");
  EXPECT_EQ(make_rate_fn()->call(1, args, 0, out, err), fn_status::error);
  EXPECT_EQ(err, "rate takes one input");
}

TEST(StreamFns, StateIsSmall) {
  EXPECT_LE(make_ewma_fn(0.5)->memory_bytes(), 64u);
  EXPECT_LE(make_rate_fn()->memory_bytes(), 64u);
  EXPECT_GT(make_diff_fn()->memory_bytes(), 0u);
}
