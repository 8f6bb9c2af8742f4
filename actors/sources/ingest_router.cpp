#include "actors/sources/ingest_router.hpp"

#include <algorithm>
#include <unordered_map>

#include "caf/event_based_actor.hpp"

#include "actors/dataflow/backlog.hpp"
#include "actors/messages.hpp"

namespace shoal {

ingest_router::ingest_router(uint64_t key, std::vector<caf::actor> sensors,
                             metrics* live)
  : key_(key), live_(live), sensors_(std::move(sensors)),
    buffers_(sensors_.size()), sent_wm_(sensors_.size(), wm_none) {
  find_shared();
}

void ingest_router::find_shared() {
  std::unordered_map<caf::actor, uint32_t> count;
  for (auto& x : sensors_)
    ++count[x];
  shared_.assign(sensors_.size(), false);
  for (size_t i = 0; i < sensors_.size(); ++i)
    shared_[i] = count[sensors_[i]] > 1;
}

void ingest_router::add(uint32_t sensor, point p) {
  auto& buf = buffers_[sensor];
  if (buf.empty())
    dirty_.push_back(sensor);
  buf.push_back(p);
  ++buffered_;
}

void ingest_router::request(uint32_t sensor, int64_t ts) {
  if (sensor < sensors_.size() && sent_wm_[sensor] < ts)
    requests_.emplace(ts, sensor);
}

void ingest_router::send(caf::event_based_actor* self, uint32_t sensor,
                         int64_t wm, uint64_t mark) {
  auto& buf = buffers_[sensor];
  auto token = progress_tracker::no_token;
  if (tracker_ && !buf.empty()) {
    auto first = buf.front().ts;
    for (auto& p : buf)
      first = std::min(first, p.ts);
    token = tracker_->token_for(first);
    tracker_->add(0, token);
  }
  if (shared_[sensor]) {
    auto handle
      = [](const std::pair<caf::actor, sensor_feed>& x) -> const caf::actor& {
      return x.first;
    };
    auto i = feed_at_.find(feeds_, sensors_[sensor], handle);
    if (i == actor_index::npos) {
      feeds_.emplace_back(sensors_[sensor], sensor_feed{});
      feed_at_.pushed(feeds_, handle);
      i = feeds_.size() - 1;
    }
    feeds_[i].second.sensors.push_back(sensor);
    feeds_[i].second.batches.push_back(
      batch{key_, std::move(buf), wm, token, mark});
  } else {
    self->send(sensors_[sensor], batch{key_, std::move(buf), wm, token, mark});
  }
  if (runs_here(sensors_[sensor]))
    live_->batch_sent();
  buf = std::vector<point>{};
  sent_wm_[sensor] = wm;
}

void ingest_router::send_feeds(caf::event_based_actor* self) {
  for (auto& [to, feed] : feeds_)
    self->send(to, std::move(feed));
  feeds_.clear();
  feed_at_.clear();
}

void ingest_router::flush(caf::event_based_actor* self, int64_t wm,
                          uint64_t mark) {
  if (mark != 0) {
    for (uint32_t sensor = 0; sensor < sensors_.size(); ++sensor)
      send(self, sensor, wm, mark);
  } else {
    for (auto sensor : dirty_)
      send(self, sensor, wm);
  }
  dirty_.clear();
  buffered_ = 0;
  while (!requests_.empty() && requests_.top().first <= wm) {
    auto [ts, sensor] = requests_.top();
    requests_.pop();
    if (sent_wm_[sensor] < ts)
      send(self, sensor, wm);
  }
  if (wm == wm_end)
    for (uint32_t sensor = 0; sensor < sensors_.size(); ++sensor)
      if (sent_wm_[sensor] != wm_end)
        send(self, sensor, wm);
  send_feeds(self);
}

void ingest_router::swap_sensor(caf::event_based_actor* self,
                                const caf::actor& from, caf::actor to,
                                int64_t wm) {
  for (uint32_t sensor = 0; sensor < sensors_.size(); ++sensor) {
    if (sensors_[sensor] != from)
      continue;
    // What is buffered goes where it was accepted for; the dirty entry
    // stays and sends an empty batch to the new actor on the next flush.
    if (!buffers_[sensor].empty()) {
      send(self, sensor, wm);
      send_feeds(self);
    }
    sensors_[sensor] = std::move(to);
    // The sensor's new actor may run others of ours, or none; its old one
    // may now run only one.
    find_shared();
    break;
  }
  self->send(from, swapped_atom_v, key_);
}

caf::expected<size_t> track_live_source(progress_tracker& tracker,
                                        source_filter& filter,
                                        ingest_router& router, int64_t wm) {
  // Nothing at or before `wm` is accepted: the tracker may count from there.
  filter.set_watermark(wm);
  auto index = tracker.add_source(wm);
  if (index)
    router.track(&tracker);
  return index;
}

} // namespace shoal
