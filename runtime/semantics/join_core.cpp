#include "runtime/semantics/join_core.hpp"

namespace shoal {

join_core::join_core(std::vector<bool> triggers)
  : inputs_(triggers.size()), args_(triggers.size(), 0.0) {
  for (size_t i = 0; i < triggers.size(); ++i)
    inputs_[i].trigger = triggers[i];
}

void join_core::push(size_t i, const point* pts, size_t n, int64_t wm) {
  auto& in = inputs_[i];
  // Points not after the last one seen on this input are dropped: they can
  // only come from a replacement input (a replaced or failed-over node)
  // that restarted behind its predecessor.
  size_t skip = 0;
  while (skip < n && pts[skip].ts <= in.last_ts)
    ++skip;
  pts += skip;
  n -= skip;
  if (n > 0) {
    if (in.head == in.queue.size()) {
      in.queue.clear();
      in.head = 0;
    }
    in.queue.insert(in.queue.end(), pts, pts + n);
    in.last_ts = pts[n - 1].ts;
  }
  if (wm > in.wm)
    in.wm = wm;
}

void join_core::seed(size_t i, point last, int64_t wm) {
  auto& in = inputs_[i];
  if (last.ts != wm_none && last.ts > in.value_ts) {
    if (in.value_ts == wm_none)
      ++ready_count_;
    in.value_ts = last.ts;
    args_[i] = last.value;
    if (last.ts > in.last_ts)
      in.last_ts = last.ts;
  }
  if (wm > in.wm)
    in.wm = wm;
}

int64_t join_core::ready_wm() const {
  int64_t result = wm_end;
  for (size_t i = 0; i < inputs_.size(); ++i) {
    auto w = input_wm(i);
    if (w < result)
      result = w;
  }
  return result;
}

int64_t join_core::out_wm() const {
  // Everything queued at or before ready_wm() fires in drain(), so after a
  // drain the output watermark is exactly the smallest input watermark.
  auto ready = ready_wm();
  auto pending = next_pending();
  return pending != wm_end && pending <= ready ? pending - 1 : ready;
}

int64_t join_core::next_pending() const {
  int64_t result = wm_end;
  for (const auto& in : inputs_)
    if (in.head < in.queue.size() && in.queue[in.head].ts < result)
      result = in.queue[in.head].ts;
  return result;
}

int64_t join_core::next_firing() const {
  int64_t result = wm_end;
  for (const auto& in : inputs_)
    if (in.trigger && in.head < in.queue.size()
        && in.queue[in.head].ts < result)
      result = in.queue[in.head].ts;
  return result;
}

bool join_core::consume(int64_t t) {
  bool triggered = false;
  for (size_t i = 0; i < inputs_.size(); ++i) {
    auto& in = inputs_[i];
    if (in.head < in.queue.size() && in.queue[in.head].ts == t) {
      if (in.value_ts == wm_none)
        ++ready_count_;
      in.value_ts = t;
      args_[i] = in.queue[in.head].value;
      ++in.head;
      triggered |= in.trigger;
      if (in.head == in.queue.size()) {
        in.queue.clear();
        in.head = 0;
      } else if (in.head >= 256 && in.head * 2 >= in.queue.size()) {
        in.queue.erase(in.queue.begin(),
                       in.queue.begin() + static_cast<ptrdiff_t>(in.head));
        in.head = 0;
      }
    }
  }
  return triggered && ready_count_ == inputs_.size();
}

size_t join_core::queued() const {
  size_t n = 0;
  for (const auto& in : inputs_)
    n += in.queue.size() - in.head;
  return n;
}

size_t join_core::memory_bytes() const {
  size_t n
    = inputs_.capacity() * sizeof(input) + args_.capacity() * sizeof(double);
  for (const auto& in : inputs_)
    n += in.queue.capacity() * sizeof(point);
  return n;
}

void join_core::save(state_writer& w) const {
  w.put(static_cast<uint64_t>(inputs_.size()));
  for (size_t i = 0; i < inputs_.size(); ++i) {
    const auto& in = inputs_[i];
    w.put(static_cast<uint64_t>(in.queue.size() - in.head));
    for (size_t k = in.head; k < in.queue.size(); ++k)
      w.put(in.queue[k]);
    w.put(in.wm);
    w.put(in.last_ts);
    w.put(in.value_ts);
    w.put(args_[i]);
  }
  w.put(static_cast<uint64_t>(ready_count_));
}

bool join_core::load(state_reader& r) {
  if (r.get<uint64_t>() != inputs_.size() || !r.ok())
    return false;
  for (size_t i = 0; i < inputs_.size(); ++i) {
    auto& in = inputs_[i];
    auto n = r.get<uint64_t>();
    in.queue.clear();
    in.head = 0;
    for (uint64_t k = 0; k < n && r.ok(); ++k)
      in.queue.push_back(r.get<point>());
    in.wm = r.get<int64_t>();
    in.last_ts = r.get<int64_t>();
    in.value_ts = r.get<int64_t>();
    args_[i] = r.get<double>();
  }
  ready_count_ = static_cast<size_t>(r.get<uint64_t>());
  return r.ok() && ready_count_ <= inputs_.size();
}

} // namespace shoal
