#include "actors/dataflow/progress.hpp"

#include <algorithm>

#include "runtime/core/errc.hpp"

namespace shoal {

progress_tracker::progress_tracker(uint32_t bands, int64_t epoch_ns,
                                   uint32_t slots)
  : bands_(std::clamp(bands, 1u, max_bands)),
    epoch_ns_(epoch_ns > 0 ? epoch_ns : 1), slots_(std::max(slots, 2u)),
    counts_(new std::atomic<int64_t>[static_cast<size_t>(bands_) * slots_]),
    frontier_(new std::atomic<int64_t>[bands_]), cursor_(bands_, 0),
    waiters_(bands_), overflow_(bands_) {
  // The slot index is a mask: round the number of slots up to a power of 2.
  uint32_t pow2 = 1;
  while (pow2 < slots_)
    pow2 <<= 1;
  if (pow2 != slots_) {
    slots_ = pow2;
    counts_.reset(
      new std::atomic<int64_t>[static_cast<size_t>(bands_) * slots_]);
  }
  for (size_t i = 0; i < static_cast<size_t>(bands_) * slots_; ++i)
    counts_[i].store(0);
  for (uint32_t b = 0; b < bands_; ++b)
    frontier_[b].store(wm_none);
  for (auto& wm : source_wm_)
    wm.store(wm_end);
}

int64_t progress_tracker::token_for(int64_t ts) const {
  auto epoch = ts > 0 ? ts / epoch_ns_ : 0;
  // Far ahead of the slowest band, an item would share its slot with one of
  // the window: count it aside so that it cannot hold the window back.
  if (epoch >= low_.load() + slots_ - 1)
    return -1 - epoch;
  return epoch;
}

void progress_tracker::add_overflow(uint32_t band, int64_t token, int64_t n) {
  auto epoch = -1 - token;
  std::lock_guard<std::mutex> guard{overflow_mtx_};
  auto& m = overflow_[band];
  auto i = m.emplace(epoch, 0).first;
  i->second += n;
  if (i->second == 0)
    m.erase(i);
}

int64_t progress_tracker::overflow_min(uint32_t band) {
  std::lock_guard<std::mutex> guard{overflow_mtx_};
  auto& m = overflow_[band];
  return m.empty() ? wm_end : m.begin()->first;
}

caf::expected<size_t> progress_tracker::add_source(int64_t wm) {
  std::lock_guard<std::mutex> guard{advance_mtx_};
  auto n = sources_.load();
  if (n == max_sources)
    return make_error(errc::invalid_config,
                      "too many sources for one progress tracker");
  wm = std::max<int64_t>(wm, 0);
  source_wm_[n].store(wm);
  // Counting starts at the first source's watermark. A source that starts
  // behind the others moves the cursors back: none of its items is counted
  // yet, and nothing has been counted behind it.
  auto epoch = wm / epoch_ns_;
  if (!started_) {
    started_ = true;
    std::fill(cursor_.begin(), cursor_.end(), epoch);
    low_.store(epoch);
  } else {
    for (auto& c : cursor_)
      c = std::min(c, epoch);
    low_.store(std::min(low_.load(), epoch));
  }
  sources_.store(n + 1);
  return n;
}

void progress_tracker::set_source_wm(size_t src, int64_t wm) {
  auto& x = source_wm_[src];
  if (wm > x.load())
    x.store(wm);
}

int64_t progress_tracker::wait(uint32_t band, int64_t ts, caf::actor who) {
  std::lock_guard<std::mutex> guard{wait_mtx_};
  auto f = frontier_[band].load();
  if (f >= ts)
    return f;
  waiters_[band].push(waiter{ts, std::move(who)});
  return f;
}

int64_t progress_tracker::frontier(uint32_t b) const {
  return frontier_[b].load();
}

int64_t progress_tracker::outstanding() const {
  int64_t n = 0;
  for (size_t i = 0; i < static_cast<size_t>(bands_) * slots_; ++i)
    n += counts_[i].load();
  return n;
}

void progress_tracker::recompute() {
  auto n = sources_.load();
  if (n == 0)
    return;
  int64_t src = wm_end;
  for (size_t i = 0; i < n; ++i)
    src = std::min(src, source_wm_[i].load());
  if (src == wm_end)
    return; // every source ended: end of stream travels on the edges
  auto top = src / epoch_ns_;
  // `prefix`: the smallest epoch that a band below the current one (or a
  // source) may still hold an item in; `clear`: no band below holds an item
  // in the epoch of the sources' watermark.
  auto prefix = top;
  bool clear = true;
  for (uint32_t b = 0; b < bands_; ++b) {
    auto f = (prefix == top && clear) ? src : prefix * epoch_ns_ - 1;
    if (f > frontier_[b].load())
      frontier_[b].store(f);
    // Now band b joins the bands below for the bands above it.
    auto ovf = overflow_min(b);
    auto limit = std::min(prefix, ovf);
    auto c = cursor_[b];
    // The window holds every counted epoch from the slowest cursor on; a
    // cursor never runs past it, so slots are never shared by live items.
    limit = std::min(limit, low_.load() + slots_ - 1);
    while (c < limit && slot(b, c).load() == 0)
      ++c;
    cursor_[b] = c;
    if (c < prefix) {
      prefix = c;
      clear = false;
    } else if (prefix == top && (slot(b, top).load() != 0 || ovf == top)) {
      clear = false;
    }
  }
  low_.store(*std::min_element(cursor_.begin(), cursor_.end()));
}

} // namespace shoal
