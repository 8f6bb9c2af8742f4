#include "actors/dataflow/sensor_core.hpp"

#include <algorithm>

namespace shoal {

void sensor_core::attach(caf::actor handle, uint64_t key, uint32_t index,
                         bool marks) {
  for (auto& x : sources) {
    if (x.key == key) {
      // Attached again (a source re-bound to a changed graph).
      x.handle = std::move(handle);
      x.index = index;
      x.asked = wm_none;
      x.marks = marks;
      return;
    }
  }
  source x;
  x.handle = std::move(handle);
  x.key = key;
  x.index = index;
  x.marks = marks;
  sources.push_back(std::move(x));
}

bool sensor_core::detach(uint64_t key, int64_t wm) {
  auto i = std::find_if(sources.begin(), sources.end(), [&](const source& x) {
    return x.key == key;
  });
  if (i == sources.end())
    return false;
  floor = std::max({floor, i->wm, wm});
  sources.erase(i);
  return true;
}

int64_t sensor_core::out_wm() const {
  int64_t wm = sources.empty() ? wm_none : wm_end;
  for (auto& s : sources)
    if (s.wm < wm)
      wm = s.wm;
  wm = std::max(wm, floor);
  return wm > gate.last_ts() ? wm : gate.last_ts();
}

} // namespace shoal
