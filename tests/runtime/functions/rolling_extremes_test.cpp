// Rolling, ewma, diff and rate over values near the largest double, mixed with
// small ones, against a reference in long double (range to 1e4932, so nothing
// overflows there) with a compensated sum: every result within the tolerance
// of SPEC section 4, or an error where the true result is beyond the double
// range; never a wrong number.

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <gtest/gtest.h>
#include <random>
#include <string>
#include <vector>

#include "runtime/core/types.hpp"
#include "runtime/functions/fn_state.hpp"
#include "runtime/functions/rolling_fns.hpp"
#include "runtime/functions/stream_fns.hpp"

using namespace shoal;

namespace {

/// Neumaier's compensated sum in long double.
long double exact_sum(const point* b, const point* e) {
  long double s = 0;
  long double c = 0;
  for (auto p = b; p != e; ++p) {
    long double x = p->value;
    long double t = s + x;
    c += std::fabs(s) >= std::fabs(x) ? (s - t) + x : (x - t) + s;
    s = t;
  }
  return s + c;
}

long double reference(rolling_op op, const point* b, const point* e) {
  auto n = static_cast<long double>(e - b);
  long double sum = exact_sum(b, e);
  if (op == rolling_op::sum)
    return sum;
  long double mean = sum / n;
  if (op == rolling_op::mean)
    return mean;
  long double ss = 0;
  for (auto p = b; p != e; ++p)
    ss += (p->value - mean) * (p->value - mean);
  return std::sqrt(ss / n);
}

constexpr rolling_op stat_ops[]
  = {rolling_op::mean, rolling_op::sum, rolling_op::std};

/// Runs `op` over `xs` (count window `count`, or time window `span`) and
/// checks every output; returns the number of mismatches.
size_t check(rolling_op op, const std::vector<point>& xs, int64_t count,
             int64_t span) {
  auto f = count > 0 ? make_rolling_count_fn(op, count)
                     : make_rolling_time_fn(op, span);
  size_t first = 0;
  size_t failures = 0;
  for (size_t i = 0; i < xs.size(); ++i) {
    double out = NAN;
    std::string err;
    auto st = f->call(xs[i].ts, &xs[i].value, 1, out, err);
    if (count > 0)
      first = i + 1 > static_cast<size_t>(count)
                ? i + 1 - static_cast<size_t>(count)
                : 0;
    else
      while (xs[first].ts <= xs[i].ts - span)
        ++first;
    long double want = reference(op, &xs[first], &xs[i] + 1);
    bool ok;
    if (std::fabs(want) > static_cast<long double>(DBL_MAX)) {
      ok = st == fn_status::error && err.find("overflows") != std::string::npos;
    } else {
      auto w = static_cast<double>(want);
      ok = st == fn_status::value
           && std::fabs(out - w) <= 1e-9 * std::max(1.0, std::fabs(w));
    }
    if (!ok && ++failures <= 5)
      ADD_FAILURE() << to_string(op) << " at sample " << i << ": got " << out
                    << " (" << err << "), want " << static_cast<double>(want)
                    << " (window " << i + 1 - first << ")";
  }
  return failures;
}

std::vector<point> stamped(const std::vector<double>& values) {
  std::vector<point> res;
  int64_t ts = 1000;
  for (double x : values)
    res.push_back({ts += 10, x});
  return res;
}

} // namespace

TEST(RollingExtremes, MeanOfOneHugeValueAmongSmallOnes) {
  auto f = make_rolling_count_fn(rolling_op::mean, 3);
  std::string err;
  double out = NAN;
  for (double x : {1.0, 1.0})
    ASSERT_EQ(f->call(1, &x, 1, out, err), fn_status::value);
  double x = 1e308;
  ASSERT_EQ(f->call(2, &x, 1, out, err), fn_status::value) << err;
  EXPECT_NEAR(out, (2 + 1e308) / 3, 1e-9 * 1e308 / 3);
}

TEST(RollingExtremes, StdOfWindowsHoldingTheLargestValues) {
  auto xs = stamped({1, 1e308, 2, 3, 1e308, 1e308, 1e308, -1e308, 5, 6, 7,
                     DBL_MAX, -DBL_MAX, 0.5, 1e-300, 1e308, 4, 4, 4});
  for (int64_t count : {2, 3, 5})
    EXPECT_EQ(check(rolling_op::std, xs, count, 0), 0u) << count;
  EXPECT_EQ(check(rolling_op::std, xs, 0, 35), 0u);
  // A window of the largest value alone has std 0, and 1e308 next to 1 has
  // std 5e307 (not 0).
  auto f = make_rolling_count_fn(rolling_op::std, 2);
  std::string err;
  double out = NAN;
  double a = 1, b = 1e308;
  ASSERT_EQ(f->call(1, &a, 1, out, err), fn_status::value);
  ASSERT_EQ(f->call(2, &b, 1, out, err), fn_status::value);
  EXPECT_NEAR(out, 5e307, 1e-9 * 5e307);
}

TEST(RollingExtremes, SumAndMeanCancelHugeValuesExactly) {
  // The window sums of 1e308, 1, -1e308 are 1; 1e308 + 1e308 overflows.
  auto xs = stamped({1e308, 1, -1e308, 1e308, 1e308, 2, -DBL_MAX, 3, 4, 5});
  for (auto op : stat_ops) {
    for (int64_t count : {2, 3, 4})
      EXPECT_EQ(check(op, xs, count, 0), 0u) << to_string(op) << count;
    EXPECT_EQ(check(op, xs, 0, 25), 0u) << to_string(op);
  }
}

TEST(RollingExtremes, RandomMixOfMagnitudesMatchesReference) {
  // Segments of huge (up to DBL_MAX), large (1e200, 1e60) and ordinary
  // values, so windows fill with huge values, drain of them and go back to
  // the running sums.
  std::mt19937_64 gen{21};
  const double scales[] = {1e308, 1e300, 1e200, 1e61, 1e3, 1, 1e-6};
  std::uniform_int_distribution<int> pick{0, 6};
  std::uniform_int_distribution<int> seg_len{1, 40};
  std::uniform_real_distribution<double> u{-1.79, 1.79};
  std::vector<point> xs;
  int64_t ts = 0;
  while (xs.size() < 20'000) {
    double scale = scales[pick(gen)];
    for (int i = seg_len(gen); i > 0; --i)
      xs.push_back(
        {ts += 1 + static_cast<int64_t>(gen() % 7),
         scale == 1e308 ? u(gen) * 1e308 : 1e9 * (scale > 1) + scale * u(gen)});
  }
  for (auto op : stat_ops) {
    EXPECT_EQ(check(op, xs, 7, 0), 0u) << to_string(op);
    EXPECT_EQ(check(op, xs, 0, 50), 0u) << to_string(op);
  }
}

TEST(RollingExtremes, StateWithAHugeValueSurvivesSaveAndLoad) {
  auto xs = stamped({3, 1e308, 2, 7, 8, 9});
  for (auto op : stat_ops) {
    auto f = make_rolling_count_fn(op, 3);
    auto g = make_rolling_count_fn(op, 3);
    std::string err;
    double out = NAN;
    double want = NAN;
    for (size_t i = 0; i < 2; ++i)
      ASSERT_EQ(f->call(xs[i].ts, &xs[i].value, 1, out, err), fn_status::value);
    state_writer w;
    ASSERT_TRUE(f->save(w, err));
    state_reader r{w.bytes()};
    ASSERT_TRUE(g->load(r, err)) << err;
    for (size_t i = 2; i < xs.size(); ++i) {
      ASSERT_EQ(f->call(xs[i].ts, &xs[i].value, 1, want, err),
                fn_status::value);
      ASSERT_EQ(g->call(xs[i].ts, &xs[i].value, 1, out, err), fn_status::value);
      EXPECT_EQ(out, want) << to_string(op) << " at " << i;
    }
  }
}

TEST(StreamExtremes, EwmaDiffAndRateNearTheLargestDouble) {
  std::string err;
  double out = NAN;
  // ewma is a convex combination: finite for finite inputs.
  auto e = make_ewma_fn(0.3);
  double m = DBL_MAX;
  ASSERT_EQ(e->call(1, &m, 1, out, err), fn_status::value);
  ASSERT_EQ(e->call(2, &m, 1, out, err), fn_status::value);
  EXPECT_NEAR(out, DBL_MAX, 1e-9 * DBL_MAX);
  double one = 1;
  ASSERT_EQ(e->call(3, &one, 1, out, err), fn_status::value);
  EXPECT_NEAR(out, 0.7 * DBL_MAX, 1e-9 * DBL_MAX);
  // diff from -1e308 to 1e308 is 2e308: an error, and the next one is right.
  auto d = make_diff_fn();
  double lo = -1e308, hi = 1e308, two = 2;
  EXPECT_EQ(d->call(1, &lo, 1, out, err), fn_status::none);
  EXPECT_EQ(d->call(2, &hi, 1, out, err), fn_status::error);
  EXPECT_NE(err.find("diff overflows"), std::string::npos) << err;
  ASSERT_EQ(d->call(3, &two, 1, out, err), fn_status::value);
  EXPECT_NEAR(out, 2 - 1e308, 1e-9 * 1e308);
  // rate over 10 s from -1e308 to 1e308 is 2e307 per second.
  auto r = make_rate_fn();
  EXPECT_EQ(r->call(0, &lo, 1, out, err), fn_status::none);
  ASSERT_EQ(r->call(10'000'000'000, &hi, 1, out, err), fn_status::value);
  EXPECT_NEAR(out, 2e307, 1e-9 * 2e307);
  // Over 1 ns it is 2e317: an error.
  err.clear();
  EXPECT_EQ(r->call(10'000'000'001, &lo, 1, out, err), fn_status::error);
  EXPECT_NE(err.find("rate overflows"), std::string::npos) << err;
}
