#include "runtime/functions/rolling_extremum.hpp"

#include <memory>
#include <string>

#include "runtime/core/ring.hpp"
#include "runtime/core/types.hpp"
#include "runtime/functions/window_keys.hpp"

namespace shoal {

namespace {

/// Min or max by a monotonic deque of (key, value): the key is the timestamp
/// (time windows) or the sample number (count windows). Values are strictly
/// monotonic from front to back; the front is the result.
class extremum_fn final : public node_fn {
public:
  extremum_fn(bool is_max, bool timed, int64_t limit)
    : is_max_(is_max), timed_(timed), limit_(limit),
      deque_(timed ? SIZE_MAX : static_cast<size_t>(limit), timed) {
    // nop
  }

  fn_status call(int64_t ts, const double* args, size_t n, double& out,
                 std::string& err) override {
    if (n != 1) {
      err = is_max_ ? "rolling_max takes one input"
                    : "rolling_min takes one input";
      return fn_status::error;
    }
    double x = args[0];
    int64_t key = timed_ ? ts : seq_++;
    while (!deque_.empty() && expired(deque_.front().ts, key, limit_))
      deque_.pop_front();
    while (!deque_.empty()
           && (is_max_ ? deque_.back().value <= x : deque_.back().value >= x))
      deque_.pop_back();
    deque_.push_back(point{key, x});
    out = deque_.front().value;
    return fn_status::value;
  }

  size_t memory_bytes() const override {
    return sizeof(*this) + deque_.capacity() * sizeof(point);
  }

  bool save(state_writer& w, std::string&) const override {
    w.put(seq_);
    w.put(static_cast<uint64_t>(deque_.size()));
    for (size_t i = 0; i < deque_.size(); ++i)
      w.put(deque_[i]);
    return true;
  }

  bool load(state_reader& r, std::string& err) override {
    seq_ = r.get<int64_t>();
    auto n = r.get<uint64_t>();
    if (!timed_ && n > static_cast<uint64_t>(limit_)) {
      err = "window state larger than the window";
      return false;
    }
    while (!deque_.empty())
      deque_.pop_front();
    for (uint64_t i = 0; i < n && r.ok(); ++i)
      deque_.push_back(r.get<point>());
    return r.ok();
  }

private:
  bool is_max_;
  bool timed_;
  int64_t limit_;
  int64_t seq_ = 0;
  ring<point> deque_;
};

} // namespace

node_fn_ptr make_extremum_fn(bool is_max, bool timed, int64_t limit) {
  return std::make_unique<extremum_fn>(is_max, timed, limit);
}

} // namespace shoal
