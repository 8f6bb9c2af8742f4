#include "actors/dataflow/publisher.hpp"

#include <algorithm>

#include "caf/actor_cast.hpp"
#include "caf/event_based_actor.hpp"

#include "actors/dataflow/backlog.hpp"
#include "actors/messages.hpp"

namespace shoal {

namespace {

template <class T>
const caf::actor& handle_of(const T& x) {
  return x.handle;
}

template <class T>
const caf::actor& first_of(const T& x) {
  return x.first;
}

} // namespace

publisher::subscriber* publisher::find(const caf::actor& handle) {
  auto i = index_.find(subs_, handle, handle_of<subscriber>);
  return i != actor_index::npos ? &subs_[i] : nullptr;
}

void publisher::add(caf::event_based_actor* self, caf::actor sub,
                    uint32_t band) {
  if (auto* found = find(sub)) {
    auto& s = *found;
    if (s.held) {
      s.held = false;
      auto& k = kept_for(s.handle);
      if (!k.points.empty() || k.wm > s.sent_wm) {
        auto wm = std::max(k.wm, s.sent_wm);
        self->send(s.handle, batch{key_, std::move(k.points), wm});
        if (s.here)
          live_->batch_sent();
        s.sent_wm = wm;
        if (s.requested <= wm)
          s.requested = wm_none;
      }
      kept_.erase(kept_.begin() + (&k - kept_.data()));
    }
    return;
  }
  if (!tracker_ || band >= tracker_->bands())
    band = progress_tracker::no_band;
  subscriber x;
  x.handle = std::move(sub);
  x.here = runs_here(x.handle);
  x.band = band;
  subs_.push_back(std::move(x));
  index_.pushed(subs_, handle_of<subscriber>);
  count_band(band, 1);
}

void publisher::count_band(uint32_t band, int64_t n) {
  if (band == progress_tracker::no_band)
    return;
  for (auto i = bands_.begin(); i != bands_.end(); ++i) {
    if (i->first == band) {
      i->second += n;
      if (i->second == 0)
        bands_.erase(i);
      return;
    }
  }
  bands_.emplace_back(band, n);
}

void publisher::export_subscribers(std::vector<caf::actor>& subs,
                                   std::vector<int64_t>& requested,
                                   std::vector<int64_t>& sent) const {
  for (auto& s : subs_) {
    subs.push_back(s.handle);
    requested.push_back(s.requested);
    sent.push_back(s.sent_wm);
  }
}

void publisher::adopt(const std::vector<caf::actor>& subs,
                      const std::vector<int64_t>& requested,
                      const std::vector<int64_t>& sent, point last,
                      int64_t wm) {
  for (size_t i = 0; i < subs.size(); ++i) {
    subscriber s;
    s.handle = subs[i];
    s.here = runs_here(s.handle);
    s.requested = i < requested.size() ? requested[i] : wm_none;
    s.sent_wm = i < sent.size() ? sent[i] : wm_none;
    s.held = true;
    kept_.push_back(kept{s.handle, {}, wm});
    subs_.push_back(std::move(s));
    index_.pushed(subs_, handle_of<subscriber>);
  }
  last_ = last;
}

publisher::kept& publisher::kept_for(const caf::actor& handle) {
  for (auto& k : kept_)
    if (k.handle == handle)
      return k;
  // A held subscriber always has its entry; this only guards the invariant.
  kept_.push_back(kept{handle, {}, wm_none});
  return kept_.back();
}

void publisher::replace(const caf::actor& from, caf::actor to) {
  auto i = index_.find(subs_, from, handle_of<subscriber>);
  if (i == actor_index::npos)
    return;
  index_.replaced(from, to, i);
  subs_[i].handle = std::move(to);
  subs_[i].here = runs_here(subs_[i].handle);
}

void publisher::remove(const caf::actor& sub) {
  auto i = index_.find(subs_, sub, handle_of<subscriber>);
  if (i == actor_index::npos)
    return;
  count_band(subs_[i].band, -1);
  subs_.erase(subs_.begin() + static_cast<std::ptrdiff_t>(i));
  index_.rebuild(subs_, handle_of<subscriber>);
}

void outbox::add(const caf::actor& to, batch b) {
  auto i = index_.find(items_, to, first_of<decltype(items_)::value_type>);
  if (i != actor_index::npos) {
    items_[i].second.push_back(std::move(b));
    return;
  }
  items_.emplace_back(to, std::vector<batch>{});
  items_.back().second.push_back(std::move(b));
  index_.pushed(items_, first_of<decltype(items_)::value_type>);
}

void outbox::need(const caf::actor& to, int64_t t) {
  auto to_of = [](const need_range& x) -> const caf::actor& {
    return x.to;
  };
  auto i = need_index_.find(needs_, to, to_of);
  if (i != actor_index::npos) {
    auto& x = needs_[i];
    x.lo = std::min(x.lo, t);
    x.hi = std::max(x.hi, t);
    return;
  }
  needs_.push_back(need_range{to, t, t});
  need_index_.pushed(needs_, to_of);
}

void outbox::send(caf::event_based_actor* self) {
  for (auto& [handle, batches] : items_) {
    if (batches.size() == 1)
      self->send(handle, std::move(batches.front()));
    else
      self->send(handle, std::move(batches));
  }
  items_.clear();
  index_.clear();
  for (auto& x : needs_) {
    self->send(x.to, need_atom_v, x.lo);
    if (x.hi > x.lo)
      self->send(x.to, need_atom_v, x.hi);
  }
  needs_.clear();
  need_index_.clear();
}

void publisher::flush(caf::event_based_actor* self, int64_t wm, outbox* box,
                      uint64_t mark) {
  if (subs_.empty()) {
    pending_.clear();
    return;
  }
  if (!pending_.empty()) {
    // One message object shared by all subscribers: no copy per edge.
    // Subscribers without a band ignore the token.
    auto token = progress_tracker::no_token;
    if (!bands_.empty()) {
      token = tracker_->token_for(pending_.front().ts);
      for (auto& [band, n] : bands_)
        tracker_->add(band, token, n);
    }
    for (auto& s : subs_)
      if (s.held) {
        auto& k = kept_for(s.handle);
        k.points.insert(k.points.end(), pending_.begin(), pending_.end());
        k.wm = wm;
      }
    auto points = std::move(pending_);
    pending_.clear();
    uint64_t here = 0;
    for (auto& s : subs_)
      here += !s.held && s.here ? 1 : 0;
    live_->batch_sent(here);
    caf::message msg;
    if (!box)
      msg = caf::make_message(batch{key_, std::move(points), wm, token, mark});
    for (auto& s : subs_) {
      if (s.held)
        continue;
      if (box)
        box->add(s.handle, batch{key_, points, wm, token, mark});
      else
        self->send(s.handle, msg);
      s.sent_wm = wm;
      if (s.requested <= wm)
        s.requested = wm_none;
    }
    return;
  }
  for (auto& s : subs_) {
    if (s.held) {
      auto& k = kept_for(s.handle);
      k.wm = std::max(k.wm, wm);
      continue;
    }
    if (mark != 0)
      send_wm(self, s, std::max(wm, s.sent_wm), box, mark);
    else if (s.sent_wm >= wm)
      continue;
    else if (wm == wm_end || (s.requested != wm_none && s.requested <= wm))
      send_wm(self, s, wm, box);
  }
}

bool publisher::request(caf::event_based_actor* self,
                        const caf::strong_actor_ptr& who, int64_t ts,
                        int64_t wm) {
  auto* found = find(caf::actor_cast<caf::actor>(who));
  if (!found)
    return false;
  auto& s = *found;
  if (s.held) {
    s.requested = std::max(s.requested, ts);
    return true;
  }
  if (ts <= wm) {
    // A request may cross a batch that already answered it.
    if (s.sent_wm < ts)
      send_wm(self, s, wm);
  } else if (ts > s.requested) {
    s.requested = ts;
  }
  return true;
}

int64_t publisher::max_request() const {
  int64_t result = wm_none;
  for (auto& s : subs_)
    if (s.requested > result)
      result = s.requested;
  return result;
}

void publisher::send_wm(caf::event_based_actor* self, subscriber& sub,
                        int64_t wm, outbox* box, uint64_t mark) {
  batch b{key_, {}, wm};
  b.mark = mark;
  if (box)
    box->add(sub.handle, std::move(b));
  else
    self->send(sub.handle, std::move(b));
  if (sub.here)
    live_->batch_sent();
  sub.sent_wm = wm;
  if (sub.requested <= wm)
    sub.requested = wm_none;
}

} // namespace shoal
