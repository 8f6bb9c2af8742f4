// The factory's parameter checks for the functions of SPEC section 12: each
// bad parameter is an error naming the file, the node and the reason.

#include <cmath>
#include <gtest/gtest.h>
#include <string>
#include <vector>

#include "runtime/core/errc.hpp"
#include "runtime/functions/fn_factory.hpp"

using namespace shoal;

namespace {

node_spec feature(std::string fn) {
  node_spec s;
  s.name = "p1.f";
  s.kind = node_kind::feature;
  s.fn = std::move(fn);
  s.needs = {"in"};
  s.file = "plant.toml";
  return s;
}

/// The rendered error of `make_fn(s)`, which must fail.
std::string error_of(const node_spec& s) {
  auto r = make_fn(s);
  if (r) {
    ADD_FAILURE() << "make_fn accepted " << s.fn;
    return {};
  }
  EXPECT_EQ(r.error().code(), static_cast<uint8_t>(errc::invalid_graph));
  return describe(r.error());
}

const std::string prefix = "plant.toml: node 'p1.f': ";

} // namespace

TEST(CleaningFactory, ClipNeedsABoundInOrder) {
  auto s = feature("clip");
  EXPECT_EQ(error_of(s), prefix + "clip needs lo, hi or both");
  s.lo = 3;
  EXPECT_TRUE(make_fn(s));
  s.hi = 1;
  EXPECT_EQ(error_of(s), prefix
                           + "clip lo must not exceed hi, got lo = 3, "
                             "hi = 1");
  s.lo = NAN;
  EXPECT_TRUE(make_fn(s));
  s.hi = INFINITY;
  EXPECT_EQ(error_of(s), prefix + "clip hi must be a finite number, got inf");
  s.hi = 1;
  s.window = 3;
  EXPECT_EQ(error_of(s), prefix + "clip does not take 'window'");
}

TEST(CleaningFactory, ScaleTakesDefaultsAndFiniteNumbers) {
  auto s = feature("scale");
  EXPECT_TRUE(make_fn(s));
  s.mul = -INFINITY;
  EXPECT_EQ(error_of(s), prefix
                           + "scale mul must be a finite number, got "
                             "-inf");
  s.mul = 2;
  s.band = 1;
  EXPECT_EQ(error_of(s), prefix + "scale does not take 'band'");
}

TEST(CleaningFactory, DeadbandNeedsANonNegativeBand) {
  auto s = feature("deadband");
  EXPECT_EQ(error_of(s), prefix + "deadband needs band >= 0");
  s.band = -0.5;
  EXPECT_EQ(error_of(s),
            prefix + "deadband band must be a finite number >= 0, got -0.5");
  s.band = 0;
  EXPECT_TRUE(make_fn(s));
}

TEST(CleaningFactory, QuantileNeedsQInRangeAndAWindow) {
  auto s = feature("rolling_quantile");
  s.window = 5;
  EXPECT_EQ(error_of(s), prefix + "rolling_quantile needs q in [0, 1]");
  s.q = 1.5;
  EXPECT_EQ(error_of(s),
            prefix + "rolling_quantile q must be in [0, 1], got 1.5");
  s.q = -0.1;
  EXPECT_EQ(error_of(s),
            prefix + "rolling_quantile q must be in [0, 1], got -0.1");
  s.q = 1;
  EXPECT_TRUE(make_fn(s));
  s.window_ns = 10;
  EXPECT_EQ(error_of(s),
            prefix + "rolling_quantile takes window or window_ns, not both");
  s.window = 0;
  EXPECT_TRUE(make_fn(s));
  s.window_ns = 0;
  EXPECT_EQ(error_of(s), prefix + "rolling_quantile needs window or window_ns");
}

TEST(CleaningFactory, ZscoreNeedsAWindow) {
  auto s = feature("zscore");
  EXPECT_EQ(error_of(s), prefix + "zscore needs window or window_ns");
  s.window_ns = 100;
  EXPECT_TRUE(make_fn(s));
  s.q = 0.5;
  EXPECT_EQ(error_of(s), prefix + "zscore does not take 'q'");
}

TEST(CleaningFactory, TumblingNeedsAPositiveWindowNs) {
  for (auto fn : {"tumbling_mean", "tumbling_sum", "tumbling_min",
                  "tumbling_max", "tumbling_count", "tumbling_last"}) {
    auto s = feature(fn);
    EXPECT_EQ(error_of(s), prefix + fn + " needs window_ns");
    s.window_ns = -5;
    EXPECT_EQ(error_of(s), prefix + "window_ns must be at least 1, got -5");
    s.window_ns = 1000;
    EXPECT_TRUE(make_fn(s));
    s.window = 3;
    EXPECT_EQ(error_of(s), prefix + fn + " does not take 'window'");
  }
}

TEST(CleaningFactory, NewFunctionsTakeOneInput) {
  auto s = feature("clip");
  s.lo = 0;
  s.needs = {"a", "b"};
  EXPECT_EQ(error_of(s), prefix + "clip takes one input, got 2");
}
