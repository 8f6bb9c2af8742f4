#include "runtime/functions/rolling_fns.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>

#include "runtime/core/double_double.hpp"
#include "runtime/core/ring.hpp"
#include "runtime/core/types.hpp"
#include "runtime/functions/rolling_extremum.hpp"
#include "runtime/functions/rolling_wide.hpp"
#include "runtime/functions/window_keys.hpp"

namespace shoal {

namespace {

/// Fraction of the SPEC tolerance (1e-9) the running sums may lose before a
/// recomputation from the window.
constexpr double budget = 1e-12;

// -- windows ------------------------------------------------------------------

// -- sum, mean and std --------------------------------------------------------

/// Sum, mean or std over a window of `Entry`: a `double` for count windows,
/// a `point` for time windows. Keeps S1 = sum(x - k) and, for std,
/// S2 = sum((x - k)^2) in double-double, and bounds on their error since the
/// last recomputation. A recomputation re-centres `k` on the window's mean,
/// so S2 never cancels catastrophically for long. While the window holds a
/// value above `wide_threshold` the sums are not kept (they could overflow):
/// each result comes from `wide_result`, and the sums are recomputed once the
/// last such value has left.
template <class Entry>
class stats_fn final : public node_fn {
public:
  static constexpr bool timed = std::is_same_v<Entry, point>;

  stats_fn(rolling_op op, int64_t limit)
    : op_(op), limit_(limit),
      win_(timed ? SIZE_MAX : static_cast<size_t>(limit), timed) {
    // nop
  }

  fn_status call(int64_t ts, const double* args, size_t n, double& out,
                 std::string& err) override {
    if (n != 1) {
      err = std::string{to_string(op_)} + " takes one input";
      return fn_status::error;
    }
    double x = args[0];
    if constexpr (timed) {
      while (!win_.empty() && expired(win_.front().ts, ts, limit_))
        evict(win_.front().value);
      win_.push_back(point{ts, x});
    } else {
      if (win_.size() == static_cast<size_t>(limit_))
        evict(win_.front());
      win_.push_back(x);
    }
    if (std::fabs(x) > wide_threshold) {
      ++wide_;
      stale_ = true;
    } else if (!stale_) {
      accumulate(x, false);
    }
    run_ = (run_ > 0 && x == last_) ? run_ + 1 : 1;
    last_ = x;
    bool constant = run_ >= static_cast<int64_t>(win_.size());
    if (op_ == rolling_op::zscore && constant)
      return fn_status::none; // std == 0 exactly
    if (wide_ > 0) {
      if (op_ == rolling_op::std && constant) {
        out = 0;
        return fn_status::value;
      }
      if (op_ == rolling_op::zscore)
        return wide_zscore(x, win_, out, err);
      return wide_result(op_, win_, out, err);
    }
    if (stale_) {
      stale_ = false;
      recompute();
    }
    if (!try_result(out)) {
      recompute();
      try_result(out);
    }
    // Values apart but too close for a double to tell their spread from 0.
    if (op_ == rolling_op::zscore && !std::isfinite(out))
      return fn_status::none;
    return fn_status::value;
  }

  size_t memory_bytes() const override {
    return sizeof(*this) + win_.capacity() * sizeof(Entry);
  }

  bool save(state_writer& w, std::string&) const override {
    w.put(static_cast<uint64_t>(win_.size()));
    for (size_t i = 0; i < win_.size(); ++i)
      w.put(win_[i]);
    w.put(k_);
    w.put(s1_);
    w.put(s2_);
    w.put(err1_);
    w.put(err2_);
    w.put(run_);
    w.put(last_);
    return true;
  }

  bool load(state_reader& r, std::string& err) override {
    auto n = r.get<uint64_t>();
    if (!timed && n > static_cast<uint64_t>(limit_)) {
      err = "window state larger than the window";
      return false;
    }
    while (!win_.empty())
      win_.pop_front();
    for (uint64_t i = 0; i < n && r.ok(); ++i)
      win_.push_back(r.get<Entry>());
    k_ = r.get<double>();
    s1_ = r.get<dd>();
    s2_ = r.get<dd>();
    err1_ = r.get<double>();
    err2_ = r.get<double>();
    run_ = r.get<int64_t>();
    last_ = r.get<double>();
    // Not saved: derived from the window (the sums are stale exactly while
    // it holds a wide value, see `call`).
    wide_ = 0;
    for (size_t i = 0; i < win_.size(); ++i)
      if (std::fabs(value_of(win_[i])) > wide_threshold)
        ++wide_;
    stale_ = wide_ > 0;
    return r.ok();
  }

private:
  /// Drops the oldest sample, which has value `x`.
  void evict(double x) {
    if (std::fabs(x) > wide_threshold)
      --wide_;
    else if (!stale_)
      accumulate(x, true);
    win_.pop_front();
  }

  void accumulate(double x, bool remove) {
    dd d = two_sum(x, -k_); // exact: x - k
    if (remove)
      d = -d;
    s1_ = s1_ + d;
    err1_ += dd_eps * (std::fabs(s1_.hi) + std::fabs(d.hi));
    if (moments()) {
      dd q = square(d);
      if (remove)
        q = -q;
      s2_ = s2_ + q;
      err2_ += dd_eps * (std::fabs(s2_.hi) + std::fabs(q.hi));
    }
  }

  /// Writes the result; returns false if its error bound is too large.
  bool try_result(double& out) const {
    auto n = static_cast<double>(win_.size());
    switch (op_) {
      case rolling_op::sum:
        out = value(s1_);
        return err1_ <= budget * std::max(1.0, std::fabs(out));
      case rolling_op::mean:
        out = value(s1_ / n);
        return err1_ / n <= budget * std::max(1.0, std::fabs(out));
      case rolling_op::std: {
        // Exactly 0 for a constant window, whatever the rounding.
        if (run_ >= static_cast<int64_t>(win_.size())) {
          out = 0;
          return true;
        }
        double bound = 0;
        out = std_of(bound);
        return bound <= budget * std::max(1.0, out);
      }
      default: {
        // zscore of the newest sample (`last_`); the caller returns no
        // output for a constant window before asking. Where the spread
        // rounds to 0, `out` is not finite.
        double sd_bound = 0;
        double sd = std_of(sd_bound);
        dd m = s1_ / n;
        dd dx = two_sum(last_, -k_) + -m;
        out = value(dx) / sd;
        double e_dx
          = err1_ / n + dd_eps * (std::fabs(last_ - k_) + std::fabs(m.hi));
        double bound = (e_dx + std::fabs(out) * sd_bound) / sd;
        return sd > 0 && bound <= budget * std::max(1.0, std::fabs(out));
      }
    }
  }

  /// The std of the window from the sums; writes a bound on its error.
  double std_of(double& bound) const {
    auto n = static_cast<double>(win_.size());
    dd m = s1_ / n;
    double v = std::max(0.0, value(s2_ / n + -square(m)));
    double sd = std::sqrt(v);
    double dm = err1_ / n;
    double e = err2_ / n + (2 * std::fabs(m.hi) + dm) * dm
               + dd_eps * (std::fabs(s2_.hi) / n + m.hi * m.hi);
    // |sqrt(v + e) - sqrt(v)| <= min(sqrt(e), e / sqrt(v)).
    bound = sd > 0 ? std::min(std::sqrt(e), e / sd) : std::sqrt(e);
    return sd;
  }

  /// Whether the function keeps the sum of squares.
  bool moments() const {
    return op_ == rolling_op::std || op_ == rolling_op::zscore;
  }

  /// Recomputes the sums from the window, centred on its mean for std.
  void recompute() {
    k_ = 0;
    s1_ = s2_ = dd{};
    if (moments()) {
      dd sum;
      for (size_t i = 0; i < win_.size(); ++i)
        sum = sum + dd{value_of(win_[i]), 0};
      k_ = value(sum / static_cast<double>(win_.size()));
    }
    for (size_t i = 0; i < win_.size(); ++i)
      accumulate(value_of(win_[i]), false);
    // Far more precise than a plain computation: start a new error budget.
    err1_ = err2_ = 0;
  }

  rolling_op op_;
  int64_t limit_;
  ring<Entry> win_;
  double k_ = 0;
  dd s1_;
  dd s2_;
  double err1_ = 0;
  double err2_ = 0;
  /// Length of the run of equal values that ends with the newest sample.
  int64_t run_ = 0;
  double last_ = 0;
  /// Samples in the window above `wide_threshold`.
  size_t wide_ = 0;
  /// True while the sums do not describe the window (a wide value entered).
  bool stale_ = false;
};

} // namespace

const char* to_string(rolling_op x) {
  switch (x) {
    case rolling_op::mean: return "rolling_mean";
    case rolling_op::sum: return "rolling_sum";
    case rolling_op::min: return "rolling_min";
    case rolling_op::max: return "rolling_max";
    case rolling_op::std: return "rolling_std";
    case rolling_op::zscore: return "zscore";
  }
  return "rolling_unknown";
}

std::optional<rolling_op> parse_rolling_op(std::string_view fn) {
  for (auto op : {rolling_op::mean, rolling_op::sum, rolling_op::min,
                  rolling_op::max, rolling_op::std, rolling_op::zscore})
    if (fn == to_string(op))
      return op;
  return std::nullopt;
}

node_fn_ptr make_rolling_count_fn(rolling_op op, int64_t n) {
  if (op == rolling_op::min || op == rolling_op::max)
    return make_extremum_fn(op == rolling_op::max, false, n);
  return std::make_unique<stats_fn<double>>(op, n);
}

node_fn_ptr make_rolling_time_fn(rolling_op op, int64_t span_ns) {
  if (op == rolling_op::min || op == rolling_op::max)
    return make_extremum_fn(op == rolling_op::max, true, span_ns);
  return std::make_unique<stats_fn<point>>(op, span_ns);
}

} // namespace shoal
