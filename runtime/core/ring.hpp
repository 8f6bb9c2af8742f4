// A growable ring buffer of default-constructible, copyable values: the window
// of a rolling function (rolling_fns.hpp), used both as a FIFO and as a
// monotonic deque.
//
// A `ring` owns its buffer and is a move-only value. It grows by doubling up
// to a maximum size fixed at construction, so a window that has reached its
// steady size never allocates again; optionally it shrinks after a burst.
// Not thread-safe.

#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <utility>

namespace shoal {

/// A FIFO that also pops at the back (for monotonic deques). Grows by
/// doubling up to `max_size`; with `shrink`, halves when at most 1/8 full so
/// that a time window gives back memory after a burst without reallocating
/// on every call.
template <class T>
class ring {
public:
  ring(size_t max_size, bool shrink) : max_size_(max_size), shrink_(shrink) {
    // nop
  }

  bool empty() const {
    return size_ == 0;
  }

  size_t size() const {
    return size_;
  }

  size_t capacity() const {
    return cap_;
  }

  const T& operator[](size_t i) const {
    return buf_[wrap(head_ + i)];
  }

  const T& front() const {
    return buf_[head_];
  }

  const T& back() const {
    return (*this)[size_ - 1];
  }

  /// Precondition: `size() < max_size`.
  void push_back(const T& x) {
    if (size_ == cap_)
      reallocate(std::min(std::max<size_t>(2 * cap_, 4), max_size_));
    buf_[wrap(head_ + size_)] = x;
    ++size_;
  }

  void pop_front() {
    head_ = wrap(head_ + 1);
    --size_;
    maybe_shrink();
  }

  void pop_back() {
    --size_;
    maybe_shrink();
  }

private:
  size_t wrap(size_t i) const {
    return i >= cap_ ? i - cap_ : i;
  }

  void maybe_shrink() {
    if (shrink_ && cap_ > 32 && size_ * 8 <= cap_)
      reallocate(cap_ / 2);
  }

  void reallocate(size_t cap) {
    std::unique_ptr<T[]> buf{new T[cap]};
    for (size_t i = 0; i < size_; ++i)
      buf[i] = (*this)[i];
    buf_ = std::move(buf);
    cap_ = cap;
    head_ = 0;
  }

  std::unique_ptr<T[]> buf_;
  size_t cap_ = 0;
  size_t head_ = 0;
  size_t size_ = 0;
  size_t max_size_;
  bool shrink_;
};

} // namespace shoal
