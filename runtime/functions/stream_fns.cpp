#include "runtime/functions/stream_fns.hpp"

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>

namespace shoal {

namespace {

bool one_input(size_t n, const char* fn, std::string& err) {
  if (n == 1)
    return true;
  err = std::string{fn} + " takes one input";
  return false;
}

class ewma_fn final : public node_fn {
public:
  explicit ewma_fn(double alpha) : alpha_(alpha) {
    // nop
  }

  fn_status call(int64_t, const double* args, size_t n, double& out,
                 std::string& err) override {
    if (!one_input(n, "ewma", err))
      return fn_status::error;
    double x = args[0];
    prev_ = started_ ? alpha_ * x + (1 - alpha_) * prev_ : x;
    started_ = true;
    out = prev_;
    return fn_status::value;
  }

  size_t memory_bytes() const override {
    return sizeof(*this);
  }

  bool save(state_writer& w, std::string&) const override {
    w.put(prev_);
    w.put(started_);
    return true;
  }

  bool load(state_reader& r, std::string&) override {
    prev_ = r.get<double>();
    started_ = r.get<bool>();
    return r.ok();
  }

private:
  double alpha_;
  double prev_ = 0;
  bool started_ = false;
};

/// diff and rate: both remember the previous sample.
class delta_fn final : public node_fn {
public:
  explicit delta_fn(bool per_second) : per_second_(per_second) {
    // nop
  }

  fn_status call(int64_t ts, const double* args, size_t n, double& out,
                 std::string& err) override {
    if (!one_input(n, per_second_ ? "rate" : "diff", err))
      return fn_status::error;
    double x = args[0];
    bool first = !started_;
    double prev = prev_;
    double dx = x - prev;
    // Timestamps increase, so the unsigned difference is the exact distance
    // even where the signed one would overflow.
    auto dt = static_cast<uint64_t>(ts) - static_cast<uint64_t>(prev_ts_);
    started_ = true;
    prev_ = x;
    prev_ts_ = ts;
    if (first)
      return fn_status::none;
    if (!per_second_) {
      out = dx;
    } else {
      double secs = static_cast<double>(dt) / 1e9;
      out = dx / secs;
      // x - prev overflowed (values near the largest double, opposite
      // signs), yet the rate may be representable: divide first.
      if (!std::isfinite(dx))
        out = x / secs - prev / secs;
    }
    if (std::isfinite(out))
      return fn_status::value;
    err = std::string{per_second_ ? "rate" : "diff"}
          + " overflows: the result is beyond the double range";
    return fn_status::error;
  }

  size_t memory_bytes() const override {
    return sizeof(*this);
  }

  bool save(state_writer& w, std::string&) const override {
    w.put(started_);
    w.put(prev_);
    w.put(prev_ts_);
    return true;
  }

  bool load(state_reader& r, std::string&) override {
    started_ = r.get<bool>();
    prev_ = r.get<double>();
    prev_ts_ = r.get<int64_t>();
    return r.ok();
  }

private:
  bool per_second_;
  bool started_ = false;
  double prev_ = 0;
  int64_t prev_ts_ = 0;
};

} // namespace

node_fn_ptr make_ewma_fn(double alpha) {
  return std::make_unique<ewma_fn>(alpha);
}

node_fn_ptr make_diff_fn() {
  return std::make_unique<delta_fn>(false);
}

node_fn_ptr make_rate_fn() {
  return std::make_unique<delta_fn>(true);
}

} // namespace shoal
