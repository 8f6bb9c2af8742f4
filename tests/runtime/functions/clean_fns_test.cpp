// clip, scale and deadband (SPEC section 12), against hand-computed values.

#include <cmath>
#include <gtest/gtest.h>
#include <optional>
#include <string>

#include "runtime/functions/clean_fns.hpp"

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

TEST(CleanFns, ClipBoundsBothSides) {
  auto f = make_clip_fn(-1, 2);
  EXPECT_EQ(step(*f, 1, -5), -1.0);
  EXPECT_EQ(step(*f, 2, 0.5), 0.5);
  EXPECT_EQ(step(*f, 3, 2), 2.0);
  EXPECT_EQ(step(*f, 4, 7), 2.0);
}

TEST(CleanFns, ClipWithOnlyLoOrOnlyHi) {
  auto lo = make_clip_fn(0, NAN);
  EXPECT_EQ(step(*lo, 1, -3), 0.0);
  EXPECT_EQ(step(*lo, 2, 1e300), 1e300);
  auto hi = make_clip_fn(NAN, 10);
  EXPECT_EQ(step(*hi, 1, -1e300), -1e300);
  EXPECT_EQ(step(*hi, 2, 11), 10.0);
}

TEST(CleanFns, ScaleConvertsUnits) {
  // Celsius to Fahrenheit: x * 1.8 + 32.
  auto f = make_scale_fn(1.8, 32);
  EXPECT_EQ(step(*f, 1, 0), 32.0);
  EXPECT_EQ(step(*f, 2, 100), 212.0);
  EXPECT_EQ(step(*f, 3, -40), -40.0);
  auto id = make_scale_fn(1, 0);
  EXPECT_EQ(step(*id, 1, 3.25), 3.25);
}

TEST(CleanFns, DeadbandComparesWithItsLastOutput) {
  // band 1: 10 (first); 10.5 within 1 of 10; 11 within 1; 11.5 is 1.5
  // away from 10; 12 within 1 of 11.5; 9 is 2.5 away.
  auto f = make_deadband_fn(1);
  EXPECT_EQ(step(*f, 1, 10), 10.0);
  EXPECT_EQ(step(*f, 2, 10.5), std::nullopt);
  EXPECT_EQ(step(*f, 3, 11), std::nullopt);
  EXPECT_EQ(step(*f, 4, 11.5), 11.5);
  EXPECT_EQ(step(*f, 5, 12), std::nullopt);
  EXPECT_EQ(step(*f, 6, 9), 9.0);
}

TEST(CleanFns, DeadbandZeroDropsOnlyRepeats) {
  auto f = make_deadband_fn(0);
  EXPECT_EQ(step(*f, 1, 5), 5.0);
  EXPECT_EQ(step(*f, 2, 5), std::nullopt);
  EXPECT_EQ(step(*f, 3, 5.000001), 5.000001);
  EXPECT_EQ(step(*f, 4, 5), 5.0);
}

TEST(CleanFns, DeadbandStateMoves) {
  auto a = make_deadband_fn(2);
  step(*a, 1, 10);
  state_writer w;
  std::string err;
  ASSERT_TRUE(a->save(w, err));
  auto b = make_deadband_fn(2);
  state_reader r{w.bytes()};
  ASSERT_TRUE(b->load(r, err));
  EXPECT_TRUE(r.done());
  // The copy remembers 10 as its last output.
  EXPECT_EQ(step(*b, 2, 11), std::nullopt);
  EXPECT_EQ(step(*b, 3, 12.5), 12.5);
}
