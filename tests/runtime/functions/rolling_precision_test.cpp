// Rolling functions over long streams of mixed magnitudes, against a fresh
// computation in long double (double-double for zscore, whose difference
// from the mean long double cannot resolve on a large offset): the running
// sums must stay within the tolerance of SPEC sections 4 and 12.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <gtest/gtest.h>
#include <random>
#include <string>
#include <vector>

#include "runtime/core/double_double.hpp"
#include "runtime/core/types.hpp"
#include "runtime/functions/rolling_fns.hpp"

using namespace shoal;

namespace {

/// A long stream of mixed magnitudes: segments of random length (1..400
/// samples) whose offset is one of 0, 1e9, -3e7, 1e12 and whose noise is one
/// of 1e-6 .. 1e3; timestamps advance by 1..20 ns.
std::vector<point> mixed_stream(size_t n, uint64_t seed) {
  std::mt19937_64 gen{seed};
  const double offsets[] = {0, 1e9, -3e7, 1e12};
  const double scales[] = {1e-6, 1e-3, 1, 1e3};
  std::uniform_int_distribution<int> pick{0, 3};
  std::uniform_int_distribution<int> seg_len{1, 400};
  std::uniform_int_distribution<int64_t> step{1, 20};
  std::normal_distribution<double> noise;
  std::vector<point> res;
  res.reserve(n);
  int64_t ts = 1'700'000'000'000'000'000;
  while (res.size() < n) {
    double offset = offsets[pick(gen)];
    double scale = scales[pick(gen)];
    for (int i = seg_len(gen); i > 0 && res.size() < n; --i) {
      ts += step(gen);
      res.push_back({ts, offset + scale * noise(gen)});
    }
  }
  return res;
}

/// The zscore of the last sample of [b, e), two passes in double-double;
/// NaN where the std is 0.
double reference_zscore(const point* b, const point* e) {
  dd sum;
  for (auto p = b; p != e; ++p)
    sum = sum + dd{p->value, 0};
  auto n = static_cast<double>(e - b);
  dd mean = sum / n;
  dd ss;
  for (auto p = b; p != e; ++p)
    ss = ss + square(dd{p->value, 0} + -mean);
  double sd = std::sqrt(value(ss / n));
  if (sd == 0)
    return NAN;
  return value(dd{(e - 1)->value, 0} + -mean) / sd;
}

/// The reference: a fresh two-pass computation in long double over [b, e).
double reference(rolling_op op, const point* b, const point* e) {
  if (op == rolling_op::zscore)
    return reference_zscore(b, e);
  long double sum = 0;
  long double lo = b->value;
  long double hi = b->value;
  for (auto p = b; p != e; ++p) {
    sum += p->value;
    lo = std::min<long double>(lo, p->value);
    hi = std::max<long double>(hi, p->value);
  }
  auto n = static_cast<long double>(e - b);
  long double mean = sum / n;
  long double ss = 0;
  for (auto p = b; p != e; ++p)
    ss += (p->value - mean) * (p->value - mean);
  switch (op) {
    case rolling_op::mean: return static_cast<double>(mean);
    case rolling_op::sum: return static_cast<double>(sum);
    case rolling_op::min: return static_cast<double>(lo);
    case rolling_op::max: return static_cast<double>(hi);
    case rolling_op::std: return static_cast<double>(std::sqrt(ss / n));
    case rolling_op::zscore: break;
  }
  return NAN;
}

/// Runs `f` over `xs` and compares every `every`-th output with the
/// reference over the window: the last `count` samples, or those with ts in
/// (t - span, t].
void check_stream(rolling_op op, const std::vector<point>& xs, int64_t count,
                  int64_t span, size_t every) {
  auto f = count > 0 ? make_rolling_count_fn(op, count)
                     : make_rolling_time_fn(op, span);
  std::string err;
  size_t first = 0;
  size_t failures = 0;
  for (size_t i = 0; i < xs.size(); ++i) {
    double out = NAN;
    auto st = f->call(xs[i].ts, &xs[i].value, 1, out, err);
    ASSERT_NE(st, fn_status::error) << err;
    if (count > 0)
      first = i + 1 > static_cast<size_t>(count)
                ? i + 1 - static_cast<size_t>(count)
                : 0;
    else
      while (xs[first].ts <= xs[i].ts - span)
        ++first;
    if (i % every != 0 && i + 1 != xs.size())
      continue;
    double want = reference(op, &xs[first], &xs[i] + 1);
    // Only zscore has no output, exactly where the std is 0.
    if (std::isnan(want) || st != fn_status::value) {
      if (!(std::isnan(want) && st == fn_status::none) && ++failures <= 5)
        ADD_FAILURE() << to_string(op) << " at sample " << i << ": status "
                      << static_cast<int>(st) << ", want " << want;
      continue;
    }
    if (!(std::fabs(out - want) <= 1e-9 * std::max(1.0, std::fabs(want)))
        && ++failures <= 5)
      ADD_FAILURE() << to_string(op) << " at sample " << i << ": got " << out
                    << ", want " << want << " (window " << i + 1 - first << ")";
  }
  EXPECT_EQ(failures, 0u) << to_string(op);
}

constexpr rolling_op all_ops[]
  = {rolling_op::mean, rolling_op::sum, rolling_op::min,
     rolling_op::max,  rolling_op::std, rolling_op::zscore};

} // namespace

TEST(RollingFns, LongStreamCountWindowMatchesFreshComputation) {
  auto xs = mixed_stream(1'000'000, 11);
  for (auto op : all_ops)
    check_stream(op, xs, 32, 0, 1);
}

TEST(RollingFns, LongStreamTimeWindowMatchesFreshComputation) {
  auto xs = mixed_stream(1'000'000, 12);
  // About 30 samples per window, varying with the random steps.
  for (auto op : all_ops)
    check_stream(op, xs, 0, 300, 1);
}

TEST(RollingFns, LongStreamWideWindowsMatchFreshComputation) {
  auto xs = mixed_stream(400'000, 13);
  for (auto op : all_ops) {
    check_stream(op, xs, 5000, 0, 997);
    check_stream(op, xs, 0, 100'000, 997);
  }
}

TEST(RollingFns, SmallNoiseOnALargeOffsetKeepsItsStd) {
  // 1e9 plus noise of 1e-5: the std (about 1e-5) must survive the offset.
  std::mt19937_64 gen{5};
  std::normal_distribution<double> noise{0, 1e-5};
  std::vector<point> xs;
  for (int64_t i = 1; i <= 300'000; ++i)
    xs.push_back({i, 1e9 + noise(gen)});
  check_stream(rolling_op::std, xs, 100, 0, 1);
  check_stream(rolling_op::std, xs, 0, 100, 1);
  check_stream(rolling_op::mean, xs, 100, 0, 1);
  check_stream(rolling_op::zscore, xs, 100, 0, 1);
  check_stream(rolling_op::zscore, xs, 0, 100, 1);
}
