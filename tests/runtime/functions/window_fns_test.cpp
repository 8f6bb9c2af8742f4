// zscore and the tumbling windows (SPEC section 12), against hand-computed
// values; the tumbling windows driven as node_fire.hpp drives them.

#include <cmath>
#include <gtest/gtest.h>
#include <optional>
#include <string>
#include <vector>

#include "runtime/core/types.hpp"
#include "runtime/functions/rolling_fns.hpp"
#include "runtime/functions/tumbling_fns.hpp"

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

/// Feeds `xs` to a tumbling function, flushing what is due before each
/// sample, at each sample's own timestamp (its input's watermark) and at end
/// of stream; returns the outputs.
std::vector<point> drive(node_fn& f, const std::vector<point>& xs) {
  std::vector<point> res;
  auto flush_to = [&](int64_t t) {
    for (auto d = f.due(); d != wm_end && d <= t; d = f.due()) {
      double out = NAN;
      std::string err;
      EXPECT_EQ(f.flush(out, err), fn_status::value) << err;
      res.push_back({d, out});
    }
  };
  for (auto p : xs) {
    flush_to(p.ts - 1);
    EXPECT_EQ(step(f, p.ts, p.value), std::nullopt);
    flush_to(p.ts);
  }
  flush_to(wm_end);
  return res;
}

using points = std::vector<point>;

/// Windows of 10 ns: [-20, -10) holds 1 and 3, [-10, 0) holds 5, [0, 10)
/// holds 7, [10, 30) nothing, [30, 40) holds 2 and 4 (the 4 on its last
/// nanosecond), [40, 50) holds 6 until end of stream.
const points samples{{-15, 1}, {-11, 3}, {-3, 5}, {5, 7},
                     {37, 2},  {39, 4},  {45, 6}};

std::vector<point> tumbling(tumbling_op op) {
  auto f = make_tumbling_fn(op, 10);
  return drive(*f, samples);
}

} // namespace

TEST(WindowFns, ZscoreOfTheNewestSample) {
  // Window 3: [1] std 0; [1 2] (2 - 1.5) / 0.5; [1 2 3] 1 / sqrt(2/3);
  // [2 3 3] (1/3) / (sqrt(2)/3).
  auto f = make_rolling_count_fn(rolling_op::zscore, 3);
  EXPECT_EQ(step(*f, 1, 1), std::nullopt);
  EXPECT_DOUBLE_EQ(*step(*f, 2, 2), 1.0);
  EXPECT_DOUBLE_EQ(*step(*f, 3, 3), 1.224744871391589);
  EXPECT_DOUBLE_EQ(*step(*f, 4, 3), 0.7071067811865476);
}

TEST(WindowFns, ZscoreHasNoOutputWhileTheStdIsZero) {
  auto f = make_rolling_time_fn(rolling_op::zscore, 10);
  EXPECT_EQ(step(*f, 1, 5), std::nullopt);
  EXPECT_EQ(step(*f, 2, 5), std::nullopt);
  EXPECT_EQ(step(*f, 3, 5), std::nullopt);
  EXPECT_DOUBLE_EQ(*step(*f, 4, 9), std::sqrt(3.0)); // [5 5 5 9]: 3 / sqrt 3
  // The 5s have left: the window holds two 9s.
  EXPECT_EQ(step(*f, 13, 9), std::nullopt);
}

TEST(WindowFns, ZscoreKeepsItsPrecisionOnALargeOffset) {
  auto f = make_rolling_count_fn(rolling_op::zscore, 3);
  step(*f, 1, 1e9 + 1);
  step(*f, 2, 1e9 + 2);
  EXPECT_NEAR(*step(*f, 3, 1e9 + 3), 1.224744871391589, 1e-9);
  auto g = make_rolling_count_fn(rolling_op::zscore, 2);
  step(*g, 1, 1e300);
  EXPECT_DOUBLE_EQ(*step(*g, 2, -1e300), -1.0);
}

TEST(WindowFns, TumblingWindowsWithGapsAndNegativeTimestamps) {
  EXPECT_EQ(tumbling(tumbling_op::mean),
            (points{{-11, 2}, {-1, 5}, {9, 7}, {39, 3}, {49, 6}}));
  EXPECT_EQ(tumbling(tumbling_op::sum),
            (points{{-11, 4}, {-1, 5}, {9, 7}, {39, 6}, {49, 6}}));
  EXPECT_EQ(tumbling(tumbling_op::min),
            (points{{-11, 1}, {-1, 5}, {9, 7}, {39, 2}, {49, 6}}));
  EXPECT_EQ(tumbling(tumbling_op::max),
            (points{{-11, 3}, {-1, 5}, {9, 7}, {39, 4}, {49, 6}}));
  EXPECT_EQ(tumbling(tumbling_op::count),
            (points{{-11, 2}, {-1, 1}, {9, 1}, {39, 2}, {49, 1}}));
  EXPECT_EQ(tumbling(tumbling_op::last),
            (points{{-11, 3}, {-1, 5}, {9, 7}, {39, 4}, {49, 6}}));
}

TEST(WindowFns, TumblingWindowsAreEpochAligned) {
  EXPECT_EQ(tumbling_window(0, 10), 0);
  EXPECT_EQ(tumbling_window(9, 10), 0);
  EXPECT_EQ(tumbling_window(10, 10), 1);
  EXPECT_EQ(tumbling_window(-1, 10), -1);
  EXPECT_EQ(tumbling_window(-10, 10), -1);
  EXPECT_EQ(tumbling_window(-11, 10), -2);
  EXPECT_EQ(tumbling_end(-1, 10), -1);
  EXPECT_EQ(tumbling_end(0, 10), 9);
  // The window that reaches past the largest timestamp ends on it.
  auto k = tumbling_window(wm_end - 2, 1000);
  EXPECT_EQ(tumbling_end(k, 1000), wm_end - 1);
}

TEST(WindowFns, TumblingMeanOfValuesNearTheLargestDouble) {
  auto f = make_tumbling_fn(tumbling_op::mean, 100);
  auto out = drive(*f, {{1, 1.5e308}, {2, 1.5e308}, {3, -1.5e308}});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].ts, 99);
  EXPECT_DOUBLE_EQ(out[0].value, 1.5e308 / 3);
  // A sum beyond the double range is an error, not a wrong number.
  auto g = make_tumbling_fn(tumbling_op::sum, 100);
  step(*g, 1, 1.5e308);
  step(*g, 2, 1.5e308);
  double sum = 0;
  std::string err;
  EXPECT_EQ(g->flush(sum, err), fn_status::error);
  EXPECT_NE(err.find("overflows"), std::string::npos) << err;
}

TEST(WindowFns, TumblingStateMovesWithItsOpenWindow) {
  auto a = make_tumbling_fn(tumbling_op::mean, 10);
  step(*a, 3, 2);
  step(*a, 4, 4);
  state_writer w;
  std::string err;
  ASSERT_TRUE(a->save(w, err));
  auto b = make_tumbling_fn(tumbling_op::mean, 10);
  state_reader r{w.bytes()};
  ASSERT_TRUE(b->load(r, err));
  EXPECT_TRUE(r.done());
  EXPECT_EQ(b->due(), 9);
  EXPECT_EQ(drive(*b, {{8, 6}, {12, 1}}), (points{{9, 4}, {19, 1}}));
}
