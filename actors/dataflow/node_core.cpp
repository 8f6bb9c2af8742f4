#include "actors/dataflow/node_core.hpp"

#include <algorithm>

#include "actors/messages.hpp"
#include "runtime/functions/fn_factory.hpp"

namespace shoal {

node_core::node_core(const node_spec& spec, node_fn_ptr f, progress_tracker* t,
                     uint32_t b, std::vector<bool> triggers, metrics* m)
  : name(spec.name), fn(std::move(f)), join(std::move(triggers)),
    pub(node_key(spec.name), t, m), tracker(t), live(m),
    band(t ? b : progress_tracker::no_band) {
  inputs.reserve(spec.needs.size());
  for (auto& need : spec.needs) {
    inputs.emplace_back();
    inputs.back().key = node_key(need);
  }
}

caf::expected<node_core>
node_core::make(const node_spec& spec, progress_tracker* tracker, uint32_t band,
                const std::vector<uint32_t>& input_bands, const fn_context& fns,
                metrics* live) {
  auto fn = make_fn(spec, fns);
  if (!fn)
    return std::move(fn.error());
  std::vector<bool> triggers(spec.needs.size(), spec.trigger.empty());
  for (size_t i = 0; i < spec.needs.size(); ++i)
    for (auto& t : spec.trigger)
      if (t == spec.needs[i])
        triggers[i] = true;
  node_core result{spec, std::move(*fn),      tracker,
                   band, std::move(triggers), live};
  if (tracker)
    for (size_t i = 0; i < input_bands.size() && i < result.inputs.size(); ++i)
      result.inputs[i].covered = input_bands[i] < result.band;
  return result;
}

void node_core::update_hold() {
  if (!tracker)
    return;
  auto next = next_due();
  auto token
    = next == wm_end ? progress_tracker::no_token : tracker->token_for(next);
  if (token == hold)
    return;
  // Count the new item before releasing the old one.
  if (token != progress_tracker::no_token)
    tracker->add(band, token);
  tracker->release(band, hold);
  hold = token;
}

std::pair<int64_t, int64_t> node_core::wanted() const {
  auto wm = join.out_wm();
  auto next = next_due();
  auto requested = pub.max_request();
  return {next != wm_end && next > wm ? next : wm_none,
          requested > wm ? requested : wm_none};
}

int64_t node_core::next_due() const {
  return std::min(join.next_firing(), fn->due());
}

int64_t node_core::wait_frontier(int64_t t, const caf::actor& self) {
  if (t >= waiting)
    return wm_none;
  waiting = t;
  auto f = tracker->wait(band, t, self);
  return f >= t ? f : wm_none;
}

void node_core::frontier(int64_t f) {
  // A later wait stays registered with the tracker: its notice will come.
  if (waiting <= f)
    waiting = wm_end;
  for (size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i].covered)
      join.push(i, nullptr, 0, f);
}

} // namespace shoal
