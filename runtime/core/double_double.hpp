// Double-double arithmetic: a number as the unevaluated sum of two doubles,
// for running sums that must not drift (see rolling_fns.hpp).
//
// A `dd` is a plain value, and every function here is pure and inline, so
// any thread may use them. The operations are the classic error-free
// transformations (Knuth's two_sum, Dekker's fast_two_sum and two_prod) and
// the double-double sum, square and division built on them; `dd_eps` bounds
// the rounding error of one operation relative to the magnitudes involved.

#pragma once

#include <cmath>

namespace shoal {

/// A number as the unevaluated sum hi + lo with |lo| <= ulp(hi) / 2: about 106
/// bits of precision, so that adding and removing samples of very different
/// magnitudes leaves no visible residue.
struct dd {
  double hi = 0;
  double lo = 0;
};

/// Returns a + b exactly, as the rounded sum and its rounding error.
inline dd two_sum(double a, double b) {
  double s = a + b;
  double bb = s - a;
  return {s, (a - (s - bb)) + (b - bb)};
}

/// Like `two_sum`; precondition: `|a| >= |b|` (or a == 0).
inline dd fast_two_sum(double a, double b) {
  double s = a + b;
  return {s, b - (s - a)};
}

/// Returns a * b exactly, as the rounded product and its rounding error.
inline dd two_prod(double a, double b) {
  double p = a * b;
#ifdef FP_FAST_FMA
  return {p, std::fma(a, b, -p)};
#else
  // Veltkamp split: without a hardware fma, libm's fma is slow.
  auto split = [](double x, double& h, double& l) {
    double t = 134217729.0 * x; // 2^27 + 1
    h = t - (t - x);
    l = x - h;
  };
  double ah, al, bh, bl;
  split(a, ah, al);
  split(b, bh, bl);
  return {p, ((ah * bh - p) + ah * bl + al * bh) + al * bl};
#endif
}

inline dd operator+(dd a, dd b) {
  dd s = two_sum(a.hi, b.hi);
  dd t = two_sum(a.lo, b.lo);
  s = fast_two_sum(s.hi, s.lo + t.hi);
  return fast_two_sum(s.hi, s.lo + t.lo);
}

inline dd operator-(dd a) {
  return {-a.hi, -a.lo};
}

inline dd square(dd a) {
  dd p = two_prod(a.hi, a.hi);
  return fast_two_sum(p.hi, p.lo + (2 * a.hi * a.lo + a.lo * a.lo));
}

inline dd operator/(dd a, double b) {
  double q1 = a.hi / b;
  dd r = a + -two_prod(q1, b);
  return fast_two_sum(q1, (r.hi + r.lo) / b);
}

/// Rounds `x` to the nearest double.
inline double value(dd x) {
  return x.hi + x.lo;
}

/// Bound on the rounding error of one double-double operation, relative to
/// the magnitudes involved (8 u^2 with u = 2^-53; the proven bound is ~3 u^2).
constexpr double dd_eps = 0x1p-103;

} // namespace shoal
