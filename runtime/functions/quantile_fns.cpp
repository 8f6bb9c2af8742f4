#include "runtime/functions/quantile_fns.hpp"

#include <cmath>
#include <memory>
#include <set>
#include <string>
#include <type_traits>

#include "runtime/core/ring.hpp"
#include "runtime/core/types.hpp"
#include "runtime/functions/window_keys.hpp"

namespace shoal {

namespace {

/// The q-quantile over a window of `Entry`: `double` for count windows,
/// `point` for time windows.
template <class Entry>
class quantile_fn final : public node_fn {
public:
  static constexpr bool timed = std::is_same_v<Entry, point>;

  quantile_fn(double q, int64_t limit)
    : q_(q), limit_(limit),
      win_(timed ? SIZE_MAX : static_cast<size_t>(limit), timed) {
    // nop
  }

  fn_status call(int64_t ts, const double* args, size_t n, double& out,
                 std::string& err) override {
    if (n != 1) {
      err = "rolling_quantile takes one input";
      return fn_status::error;
    }
    double x = args[0];
    if constexpr (timed) {
      while (!win_.empty() && expired(win_.front().ts, ts, limit_)) {
        evict(win_.front().value);
        win_.pop_front();
      }
      win_.push_back(point{ts, x});
    } else {
      if (win_.size() == static_cast<size_t>(limit_)) {
        evict(win_.front());
        win_.pop_front();
      }
      win_.push_back(x);
    }
    insert(x);
    out = result();
    return fn_status::value;
  }

  size_t memory_bytes() const override {
    // A set node: the value and about four words of tree links.
    return sizeof(*this) + win_.capacity() * sizeof(Entry)
           + win_.size() * (sizeof(double) + 4 * sizeof(void*));
  }

  bool save(state_writer& w, std::string&) const override {
    w.put(static_cast<uint64_t>(win_.size()));
    for (size_t i = 0; i < win_.size(); ++i)
      w.put(win_[i]);
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
    low_.clear();
    high_.clear();
    for (uint64_t i = 0; i < n && r.ok(); ++i) {
      auto e = r.get<Entry>();
      win_.push_back(e);
      insert(value_of(e));
    }
    return r.ok();
  }

private:
  using set = std::multiset<double>;

  /// Adds `x` to the sets, reusing the node of the last eviction.
  void insert(double x) {
    // Keeps every value of `low_` at most every value of `high_`, even where
    // evictions emptied one of them.
    auto& to = high_.empty() || x <= *high_.begin() ? low_ : high_;
    if (spare_) {
      spare_.value() = x;
      to.insert(std::move(spare_));
    } else {
      to.insert(x);
    }
    rebalance();
  }

  /// Removes one `x` from the sets, keeping its node for the next insert.
  void evict(double x) {
    // Every value of `low_` is at most every value of `high_`.
    auto& from = !low_.empty() && x <= *low_.rbegin() ? low_ : high_;
    spare_ = from.extract(from.find(x));
  }

  /// Moves elements between the sets until `low_` holds ranks 0..floor p of
  /// the window.
  void rebalance() {
    auto want = static_cast<size_t>(rank()) + 1;
    while (low_.size() > want)
      high_.insert(low_.extract(std::prev(low_.end())));
    while (low_.size() < want && !high_.empty())
      low_.insert(high_.extract(high_.begin()));
  }

  /// `floor(p)` for the current window size (the window is not empty).
  double rank() const {
    return std::floor(q_ * static_cast<double>(win_.size() - 1));
  }

  double result() const {
    double p = q_ * static_cast<double>(win_.size() - 1);
    double frac = p - rank();
    double below = *low_.rbegin();
    if (frac == 0 || high_.empty())
      return below;
    double above = *high_.begin();
    double step = above - below;
    // The step overflows only between values near the largest double of
    // opposite signs; weigh the two ends instead.
    if (!std::isfinite(step))
      return below * (1 - frac) + above * frac;
    return below + step * frac;
  }

  double q_;
  int64_t limit_;
  ring<Entry> win_;
  set low_;
  set high_;
  set::node_type spare_;
};

} // namespace

node_fn_ptr make_quantile_count_fn(double q, int64_t n) {
  return std::make_unique<quantile_fn<double>>(q, n);
}

node_fn_ptr make_quantile_time_fn(double q, int64_t span_ns) {
  return std::make_unique<quantile_fn<point>>(q, span_ns);
}

} // namespace shoal
