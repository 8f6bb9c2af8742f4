#include "runtime/functions/tumbling_fns.hpp"

#include <cmath>
#include <memory>
#include <string>

#include "runtime/core/double_double.hpp"
#include "runtime/functions/rolling_wide.hpp"

namespace shoal {

namespace {

class tumbling_fn final : public node_fn {
public:
  tumbling_fn(tumbling_op op, int64_t width) : op_(op), width_(width) {
    // nop
  }

  fn_status call(int64_t ts, const double* args, size_t n, double&,
                 std::string& err) override {
    if (n != 1) {
      err = std::string{to_string(op_)} + " takes one input";
      return fn_status::error;
    }
    double x = args[0];
    auto k = tumbling_window(ts, width_);
    if (count_ > 0 && k != window_) {
      // The driver flushes a window before any call past its end; a sample
      // that still finds one open must not be mixed into it.
      reset();
      err = std::string{to_string(op_)}
            + ": a window was not flushed before the next one";
      add(k, x);
      return fn_status::error;
    }
    add(k, x);
    return fn_status::none;
  }

  int64_t due() const override {
    return count_ > 0 ? tumbling_end(window_, width_) : wm_end;
  }

  fn_status flush(double& out, std::string& err) override {
    if (count_ == 0)
      return fn_status::none;
    auto n = static_cast<double>(count_);
    switch (op_) {
      case tumbling_op::count: out = n; break;
      case tumbling_op::last: out = last_; break;
      case tumbling_op::min: out = min_; break;
      case tumbling_op::max: out = max_; break;
      case tumbling_op::sum:
        out = value(wide_ldexp(big_, wide_shift) + small_);
        break;
      case tumbling_op::mean:
        out = value(wide_ldexp(big_ / n, wide_shift) + small_ / n);
        break;
    }
    reset();
    if (std::isfinite(out))
      return fn_status::value;
    err = std::string{to_string(op_)}
          + " overflows: the result is beyond the double range";
    return fn_status::error;
  }

  size_t memory_bytes() const override {
    return sizeof(*this);
  }

  bool save(state_writer& w, std::string&) const override {
    w.put(window_);
    w.put(count_);
    w.put(big_);
    w.put(small_);
    w.put(min_);
    w.put(max_);
    w.put(last_);
    return true;
  }

  bool load(state_reader& r, std::string&) override {
    window_ = r.get<int64_t>();
    count_ = r.get<int64_t>();
    big_ = r.get<dd>();
    small_ = r.get<dd>();
    min_ = r.get<double>();
    max_ = r.get<double>();
    last_ = r.get<double>();
    return r.ok() && count_ >= 0;
  }

private:
  void add(int64_t k, double x) {
    if (count_ == 0) {
      window_ = k;
      min_ = max_ = x;
    }
    ++count_;
    // Values beyond 2^200 scaled apart, so that sums of them stay finite
    // and cancelling large values leave the small ones intact.
    if (std::fabs(x) > wide_threshold)
      big_ = big_ + dd{std::ldexp(x, -wide_shift), 0};
    else
      small_ = small_ + dd{x, 0};
    min_ = std::fmin(min_, x);
    max_ = std::fmax(max_, x);
    last_ = x;
  }

  void reset() {
    count_ = 0;
    big_ = small_ = dd{};
  }

  tumbling_op op_;
  int64_t width_;
  /// The open window, while `count_ > 0`.
  int64_t window_ = 0;
  int64_t count_ = 0;
  dd big_;
  dd small_;
  double min_ = 0;
  double max_ = 0;
  double last_ = 0;
};

} // namespace

const char* to_string(tumbling_op x) {
  switch (x) {
    case tumbling_op::mean: return "tumbling_mean";
    case tumbling_op::sum: return "tumbling_sum";
    case tumbling_op::min: return "tumbling_min";
    case tumbling_op::max: return "tumbling_max";
    case tumbling_op::count: return "tumbling_count";
    case tumbling_op::last: return "tumbling_last";
  }
  return "tumbling_unknown";
}

std::optional<tumbling_op> parse_tumbling_op(std::string_view fn) {
  for (auto op : {tumbling_op::mean, tumbling_op::sum, tumbling_op::min,
                  tumbling_op::max, tumbling_op::count, tumbling_op::last})
    if (fn == to_string(op))
      return op;
  return std::nullopt;
}

int64_t tumbling_window(int64_t ts, int64_t width) {
  // C++ division truncates towards zero; floor for negative timestamps.
  auto k = ts / width;
  return ts % width < 0 ? k - 1 : k;
}

int64_t tumbling_end(int64_t k, int64_t width) {
  // (k + 1) * width lies in (ts, ts + width]: it overflows only past the
  // largest timestamp, and k * width only below the smallest.
  if (k < 0)
    return (k + 1) * width - 1;
  if (k * width > wm_end - width)
    return wm_end - 1;
  return k * width + (width - 1);
}

node_fn_ptr make_tumbling_fn(tumbling_op op, int64_t width_ns) {
  return std::make_unique<tumbling_fn>(op, width_ns);
}

} // namespace shoal
