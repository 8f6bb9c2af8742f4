#include "runtime/functions/clean_fns.hpp"

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

class clip_fn final : public node_fn {
public:
  clip_fn(double lo, double hi) : lo_(lo), hi_(hi) {
    // nop
  }

  fn_status call(int64_t, const double* args, size_t n, double& out,
                 std::string& err) override {
    if (!one_input(n, "clip", err))
      return fn_status::error;
    out = args[0];
    // A NaN bound compares false: no bound on that side.
    if (out < lo_)
      out = lo_;
    if (out > hi_)
      out = hi_;
    return fn_status::value;
  }

  size_t memory_bytes() const override {
    return sizeof(*this);
  }

private:
  double lo_;
  double hi_;
};

class scale_fn final : public node_fn {
public:
  scale_fn(double mul, double add) : mul_(mul), add_(add) {
    // nop
  }

  fn_status call(int64_t, const double* args, size_t n, double& out,
                 std::string& err) override {
    if (!one_input(n, "scale", err))
      return fn_status::error;
    out = args[0] * mul_ + add_;
    return fn_status::value;
  }

  size_t memory_bytes() const override {
    return sizeof(*this);
  }

private:
  double mul_;
  double add_;
};

class deadband_fn final : public node_fn {
public:
  explicit deadband_fn(double band) : band_(band) {
    // nop
  }

  fn_status call(int64_t, const double* args, size_t n, double& out,
                 std::string& err) override {
    if (!one_input(n, "deadband", err))
      return fn_status::error;
    double x = args[0];
    if (started_ && !(std::fabs(x - last_) > band_))
      return fn_status::none;
    started_ = true;
    last_ = x;
    out = x;
    return fn_status::value;
  }

  size_t memory_bytes() const override {
    return sizeof(*this);
  }

  bool save(state_writer& w, std::string&) const override {
    w.put(started_);
    w.put(last_);
    return true;
  }

  bool load(state_reader& r, std::string&) override {
    started_ = r.get<bool>();
    last_ = r.get<double>();
    return r.ok();
  }

private:
  double band_;
  bool started_ = false;
  /// The last output.
  double last_ = 0;
};

} // namespace

node_fn_ptr make_clip_fn(double lo, double hi) {
  return std::make_unique<clip_fn>(lo, hi);
}

node_fn_ptr make_scale_fn(double mul, double add) {
  return std::make_unique<scale_fn>(mul, add);
}

node_fn_ptr make_deadband_fn(double band) {
  return std::make_unique<deadband_fn>(band);
}

} // namespace shoal
