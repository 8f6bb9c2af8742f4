// Many requests from one actor, a bounded number awaiting replies at once.
//
// CAF 0.17 keeps an actor's awaited responses in a flat map (a vector) that
// it searches and erases from linearly for every reply. A graph host that
// asked each of its 50,000 nodes to wire itself at once spent a quarter of
// an `apply` of 100,000 nodes shifting that vector (docs/performance.md,
// "Changing a graph of 100,000 nodes"). `request_window` starts the
// requests of `n` items in order, at most `window` awaiting at a time:
// `start(i, done)` sends the request for item `i` and calls `done(true)`
// once it was answered, or `done(false)` to start no further item (a
// failure that ends the whole); `finished(stopped)` runs once every item
// started is done, `stopped` telling whether one said `done(false)`. Used
// from the owning actor's handlers only.

#pragma once

#include <cstddef>
#include <functional>
#include <memory>

namespace shoal {

/// How many requests of one `request_window` await replies at once: few
/// enough that the awaited responses stay a short vector, enough to keep
/// the receivers busy.
constexpr size_t default_request_window = 256;

class request_window : public std::enable_shared_from_this<request_window> {
public:
  using done_fn = std::function<void(bool go_on)>;
  using start_fn = std::function<void(size_t, done_fn)>;
  using finished_fn = std::function<void(bool stopped)>;

  /// Starts the requests; `finished` runs at once when `n` is 0.
  static void run(size_t n, size_t window, start_fn start,
                  finished_fn finished) {
    auto w = std::shared_ptr<request_window>(new request_window(
      n, window == 0 ? 1 : window, std::move(start), std::move(finished)));
    w->pump();
  }

private:
  request_window(size_t n, size_t window, start_fn start, finished_fn finished)
    : n_(n), window_(window), start_(std::move(start)),
      finished_(std::move(finished)) {
    // nop
  }

  /// Starts requests while fewer than `window_` await replies and none
  /// said stop. A `done` called from within `start_` only counts; the loop
  /// goes on here, so items done at once do not recurse.
  void pump() {
    if (pumping_)
      return;
    pumping_ = true;
    while (!stopped_ && next_ < n_ && awaiting_ < window_) {
      ++awaiting_;
      auto i = next_++;
      auto self = shared_from_this();
      start_(i, [self](bool go_on) {
        self->done(go_on);
      });
    }
    pumping_ = false;
    if ((stopped_ || next_ == n_) && awaiting_ == 0 && finished_) {
      auto f = std::move(finished_);
      finished_ = nullptr;
      f(stopped_);
    }
  }

  void done(bool go_on) {
    --awaiting_;
    stopped_ = stopped_ || !go_on;
    pump();
  }

  size_t n_;
  size_t window_;
  size_t next_ = 0;
  size_t awaiting_ = 0;
  bool pumping_ = false;
  bool stopped_ = false;
  start_fn start_;
  finished_fn finished_;
};

} // namespace shoal
