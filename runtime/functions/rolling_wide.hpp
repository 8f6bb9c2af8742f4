// The rolling sum, mean and std of a window that holds values too large for
// the running sums of rolling_fns.cpp (|x| > `wide_threshold`).
//
// Squares of such values, or sums of a few of them, overflow a double even
// where the result (a mean of 1e308, the std of a window holding 1e308) is
// representable. Here the window is recomputed in one pass (two for std):
// the large values scaled by the exact power of two 2^-`wide_shift`, the
// others kept apart unscaled, in double-double arithmetic. A result that is
// itself beyond the double range (a sum of 1e308 and 1e308) is an error with
// that message, never a wrong number. `wide_zscore` builds the zscore on
// the wide mean and std. Pure functions of their arguments; any
// thread may call them.

#pragma once

#include <cmath>
#include <cstddef>
#include <string>

#include "runtime/core/double_double.hpp"
#include "runtime/core/types.hpp"
#include "runtime/functions/node_fn.hpp"
#include "runtime/functions/rolling_fns.hpp"

namespace shoal {

/// Values with |x| above this go through `wide_result`. Below it, the running
/// sums cannot overflow: (2 * 2^200)^2 times any window length is finite.
constexpr double wide_threshold = 0x1p200;

/// The scale 2^-wide_shift brings every finite double below 2^424, so that
/// squares and their sums stay finite; values above `wide_threshold` stay
/// normal (above 2^-400), so the scaling is exact for them.
constexpr int wide_shift = 600;

inline double wide_value(double x) {
  return x;
}

inline double wide_value(const point& x) {
  return x.value;
}

/// Scales a double-double by 2^e (exact unless it overflows).
inline dd wide_ldexp(dd x, int e) {
  return {std::ldexp(x.hi, e), std::ldexp(x.lo, e)};
}

/// Computes `op` (sum, mean or std) over `win` (a ring of double or point,
/// not empty); returns `fn_status::error` with a message if the result is
/// beyond the double range.
template <class Window>
fn_status wide_result(rolling_op op, const Window& win, double& out,
                      std::string& err) {
  auto n = static_cast<double>(win.size());
  if (op == rolling_op::std) {
    // Two passes in the scaled domain. Small values lose bits to underflow
    // there, but next to a value above 2^200 their share of the variance is
    // below 2^-400 of it.
    dd sum;
    for (size_t i = 0; i < win.size(); ++i)
      sum = sum + dd{std::ldexp(wide_value(win[i]), -wide_shift), 0};
    dd m = sum / n;
    dd ss;
    for (size_t i = 0; i < win.size(); ++i) {
      dd d = dd{std::ldexp(wide_value(win[i]), -wide_shift), 0} + -m;
      ss = ss + square(d);
    }
    out = std::ldexp(std::sqrt(value(ss / n)), wide_shift);
  } else {
    // Large values scaled, the others unscaled: cancelling large values
    // leave the small ones intact.
    dd big;
    dd small;
    for (size_t i = 0; i < win.size(); ++i) {
      double x = wide_value(win[i]);
      if (std::fabs(x) > wide_threshold)
        big = big + dd{std::ldexp(x, -wide_shift), 0};
      else
        small = small + dd{x, 0};
    }
    if (op == rolling_op::mean) {
      big = big / n;
      small = small / n;
    }
    out = value(wide_ldexp(big, wide_shift) + small);
  }
  if (std::isfinite(out))
    return fn_status::value;
  err = std::string{to_string(op)} + " overflows: the result is beyond the "
        + "double range";
  return fn_status::error;
}

/// The zscore of `x`, the newest sample of `win`, from the window's wide
/// mean and std; `fn_status::none` where the std is 0.
template <class Window>
fn_status wide_zscore(double x, const Window& win, double& out,
                      std::string& err) {
  double mean = 0;
  double sd = 0;
  // Neither can leave the double range: |mean| and the population std are
  // at most the largest |value| of the window.
  if (wide_result(rolling_op::mean, win, mean, err) != fn_status::value
      || wide_result(rolling_op::std, win, sd, err) != fn_status::value)
    return fn_status::error;
  if (sd == 0)
    return fn_status::none;
  out = (x - mean) / sd;
  if (!std::isfinite(out))
    out = x / sd - mean / sd;
  return fn_status::value;
}

} // namespace shoal
