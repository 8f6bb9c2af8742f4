#include <algorithm>
#include <unordered_map>

#include "caf/all.hpp"

#include "actors/dataflow/cell_parts.hpp"
#include "actors/dataflow/data_edge.hpp"
#include "actors/messages.hpp"
#include "runtime/core/errc.hpp"

namespace shoal::cell_detail {

/// Builds the cell's sensors, nodes and routes from outside; an error names
/// the node whose function could not be made.
caf::error build(self_ptr self, cell_spec& spec) {
  auto& st = self->state;
  auto& g = *spec.graph;
  st.sensors.reserve(spec.sensors.size());
  for (size_t j = 0; j < spec.sensors.size(); ++j) {
    auto& name = g.nodes[spec.sensors[j]].name;
    auto at = j < spec.directory.size() ? spec.directory[j] : 0;
    st.sensors.emplace_back(
      name, at, publisher{node_key(name), st.tracker.get(), st.live});
    st.sensors.back().core.live = st.live;
    st.by_key.add(node_key(name),
                  cell_node::sensor_ref(static_cast<uint32_t>(j)));
    st.by_index.add(at, static_cast<uint32_t>(j));
    st.due.push_back(static_cast<uint32_t>(j));
    st.sensors.back().due = true;
  }
  st.nodes.reserve(spec.nodes.size());
  st.dirty.resize(spec.nodes.size());
  st.wms.assign(spec.nodes.size(), wm_none);
  st.ran_in.assign(spec.nodes.size(), 0);
  // (producer, consumer) pairs, sorted into `consumer_at`/`consumer_of`.
  std::vector<std::pair<uint32_t, uint32_t>> edges;
  std::unordered_map<uint64_t, size_t> route_of;
  auto producers = spec.nodes.size() + spec.sensors.size();
  for (uint32_t k = 0; k < spec.nodes.size(); ++k) {
    auto& ns = g.nodes[spec.nodes[k]];
    auto tracked = st.tracker && k < spec.bands.size();
    auto core = node_core::make(
      ns, st.tracker.get(), tracked ? spec.bands[k] : progress_tracker::no_band,
      tracked ? spec.input_bands[k] : std::vector<uint32_t>{}, spec.fns,
      st.live);
    if (!core)
      return std::move(core.error());
    cell_node n{std::move(*core)};
    for (uint32_t i = 0; i < n.core.inputs.size(); ++i) {
      auto& in = n.core.inputs[i];
      in.from = spec.from[k][i];
      auto consumer = in.covered ? k | cell_state::covered_flag : k;
      if (cell_node::is_sensor(in.from))
        edges.emplace_back(static_cast<uint32_t>(spec.nodes.size())
                             + (in.from & ~cell_node::sensor_flag),
                           consumer);
      else if (in.from != cell_node::from_outside)
        edges.emplace_back(in.from, consumer);
      if (in.from != cell_node::from_outside)
        continue;
      auto [r, added] = route_of.emplace(in.key, st.routes.size());
      if (added)
        st.routes.emplace_back();
      auto& route = st.routes[r->second];
      route.key = in.key;
      route.band = std::min(route.band, n.core.band);
      route.feeds.emplace_back(k, i);
    }
    st.by_key.add(n.core.pub.key(), k);
    st.nodes.push_back(std::move(n));
    // Nothing ran yet: every node runs first time.
    st.dirty.insert(k);
  }
  // A consumer listed twice for one producer (two of its inputs) is
  // covered only if both inputs are.
  std::sort(edges.begin(), edges.end(), [](auto& x, auto& y) {
    auto node = ~cell_state::covered_flag;
    return std::pair{x.first, x.second & node}
           < std::pair{y.first, y.second & node};
  });
  size_t kept = 0;
  for (auto& e : edges) {
    auto node = ~cell_state::covered_flag;
    if (kept > 0 && edges[kept - 1].first == e.first
        && (edges[kept - 1].second & node) == (e.second & node))
      edges[kept - 1].second &= e.second | node;
    else
      edges[kept++] = e;
  }
  edges.resize(kept);
  st.consumer_at.assign(producers + 1, 0);
  for (auto& e : edges)
    ++st.consumer_at[e.first + 1];
  for (size_t p = 0; p < producers; ++p)
    st.consumer_at[p + 1] += st.consumer_at[p];
  st.consumer_of.reserve(edges.size());
  for (auto& e : edges)
    st.consumer_of.push_back(e.second);
  for (uint32_t r = 0; r < st.routes.size(); ++r)
    st.route_at.add(st.routes[r].key, r);
  st.by_key.seal();
  st.by_index.seal();
  st.route_at.seal();
  if (st.tracker) {
    auto bands = st.tracker->bands();
    st.band_frontier.assign(bands, wm_none);
    st.band_wait.assign(bands, wm_end);
    st.band_waiters.resize(bands);
  }
  return caf::none;
}

/// The publisher of the node or sensor with `key`, and its watermark.
std::pair<publisher*, int64_t> find_node(cell_state& st, uint32_t at) {
  if (at == key_table::npos)
    return {nullptr, wm_none};
  if (cell_node::is_sensor(at)) {
    auto& s = st.sensors[at & ~cell_node::sensor_flag];
    return {&s.pub, s.core.out_wm()};
  }
  auto& c = st.nodes[at].core;
  return {&c.pub, c.join.out_wm()};
}

/// Subscribes to every input outside the cell, found in the directory.
caf::response_promise wire(self_ptr self, const std::vector<std::string>& names,
                           const std::vector<caf::actor>& xs) {
  auto& st = self->state;
  std::unordered_map<uint64_t, caf::actor> dir;
  for (size_t i = 0; i < names.size() && i < xs.size(); ++i)
    dir.emplace(node_key(names[i]), xs[i]);
  std::vector<input_ref> refs;
  for (auto& r : st.routes) {
    auto i = dir.find(r.key);
    if (i == dir.end()) {
      auto& [k, in] = r.feeds.front();
      auto& c = st.nodes[k].core;
      auto rp = self->make_response_promise();
      rp.deliver(make_error(errc::not_found, "node '" + c.name + "': input "
                                               + std::to_string(in + 1)
                                               + " is not in the directory"));
      return rp;
    }
    r.handle = i->second;
    refs.push_back(input_ref{i->second, r.key, r.band});
  }
  return st.wiring.start(self, std::move(refs));
}

namespace {

const caf::actor& handle_of(const cell_subscriber& x) {
  return x.handle;
}

} // namespace

/// The entry of subscriber `who`, or null.
cell_subscriber* find_subscriber(cell_state& st, const caf::actor& who) {
  auto i = st.subscriber_at.find(st.subscribers, who, handle_of);
  return i != actor_index::npos ? &st.subscribers[i] : nullptr;
}

/// The entry of subscriber `who`, added if new.
cell_subscriber& subscriber_of(cell_state& st, const caf::actor& who) {
  if (auto* entry = find_subscriber(st, who))
    return *entry;
  st.subscribers.push_back(cell_subscriber{who, {}, wm_none});
  st.subscriber_at.pushed(st.subscribers, handle_of);
  return st.subscribers.back();
}

/// Removes subscriber `who` from every node and sensor it subscribed to.
void drop_subscriber(cell_state& st, const caf::actor& who) {
  auto i = st.subscriber_at.find(st.subscribers, who, handle_of);
  if (i == actor_index::npos)
    return;
  for (auto at : st.subscribers[i].targets) {
    auto [pub, wm] = find_node(st, at);
    pub->remove(who);
  }
  st.subscribers.erase(st.subscribers.begin() + static_cast<std::ptrdiff_t>(i));
  st.subscriber_at.rebuild(st.subscribers, handle_of);
}

} // namespace shoal::cell_detail
