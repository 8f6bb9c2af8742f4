#include "runtime/semantics/source_filter.hpp"

#include <cmath>

namespace shoal {

sensor_directory::sensor_directory(std::vector<std::string> names)
  : names_(std::move(names)) {
  index_.reserve(names_.size());
  for (uint32_t i = 0; i < names_.size(); ++i)
    index_.emplace(std::string_view{names_[i]}, i);
}

std::optional<uint32_t> sensor_directory::find(std::string_view name) const {
  auto i = index_.find(name);
  if (i == index_.end())
    return std::nullopt;
  return i->second;
}

source_filter::source_filter(const sensor_directory& dir,
                             int64_t allowed_lateness_ns,
                             bool advance_on_accept)
  : dir_(&dir), lateness_(allowed_lateness_ns),
    advance_on_accept_(advance_on_accept), per_sensor_(dir.size()) {
  // nop
}

verdict source_filter::offer(std::string_view sensor, int64_t ts,
                             double value) {
  verdict v;
  if (!valid_ts(ts)) {
    v.reason = reject_reason::malformed;
    ++counts_[v.reason];
    return v;
  }
  auto idx = dir_->find(sensor);
  if (!idx) {
    v.reason = reject_reason::unknown_sensor;
    ++counts_[v.reason];
    return v;
  }
  v.sensor = *idx;
  if (!std::isfinite(value)) {
    v.reason = reject_reason::non_finite;
  } else if (ts <= wm_) {
    v.reason = reject_reason::late;
  } else {
    v.accepted = true;
    ++counts_.accepted;
    ++per_sensor_[v.sensor].accepted;
    if (advance_on_accept_ && ts > max_ts_) {
      max_ts_ = ts;
      // W = m - 1 - lateness, saturating at the bottom of the range.
      wm_ = (max_ts_ < wm_none + 1 + lateness_) ? wm_none
                                                : max_ts_ - 1 - lateness_;
    }
    return v;
  }
  ++counts_[v.reason];
  ++per_sensor_[v.sensor][v.reason];
  return v;
}

void source_filter::set_watermark(int64_t wm) {
  if (wm > wm_)
    wm_ = wm;
}

void source_filter::save(state_writer& w) const {
  w.put(max_ts_);
  w.put(wm_);
  w.put(counts_);
  w.put(static_cast<uint64_t>(per_sensor_.size()));
  for (auto& c : per_sensor_)
    w.put(c);
}

bool source_filter::load(state_reader& r) {
  auto max_ts = r.get<int64_t>();
  auto wm = r.get<int64_t>();
  auto counts = r.get<ingest_counts>();
  auto n = r.get<uint64_t>();
  if (!r.ok() || n != per_sensor_.size())
    return false;
  std::vector<ingest_counts> per_sensor(per_sensor_.size());
  for (auto& c : per_sensor)
    c = r.get<ingest_counts>();
  if (!r.ok())
    return false;
  max_ts_ = max_ts;
  wm_ = wm;
  counts_ = counts;
  per_sensor_ = std::move(per_sensor);
  return true;
}

const char* timestamp_unit_guess(int64_t ts, int64_t now_ns) {
  constexpr double week_ns = 7.0 * 24 * 3600 * 1e9;
  struct unit {
    const char* name;
    double ns;
  };
  for (auto u : {unit{"seconds", 1e9}, unit{"milliseconds", 1e6},
                 unit{"microseconds", 1e3}}) {
    auto as_ns = static_cast<double>(ts) * u.ns;
    if (std::fabs(as_ns - static_cast<double>(now_ns)) < week_ns)
      return u.name;
  }
  return nullptr;
}

} // namespace shoal
