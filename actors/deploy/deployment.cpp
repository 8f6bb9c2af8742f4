#include "actors/deploy/deployment.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "caf/all.hpp"
#include "caf/scheduler/abstract_coordinator.hpp"

#include "actors/dataflow/cell_actor.hpp"
#include "actors/dataflow/node_actor.hpp"
#include "actors/dataflow/sensor_actor.hpp"
#include "actors/dataflow/sink_actor.hpp"
#include "actors/messages.hpp"
#include "runtime/cluster/cells.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/graph/graph_error.hpp"

namespace shoal {

namespace {

/// Waits for `n` replies of `ok_atom`; the first error wins.
caf::error await_ok(caf::scoped_actor& self, size_t n, const char* what) {
  caf::error result;
  size_t received = 0;
  self->receive_while([&] {
    return received < n;
  })(
    [&](caf::ok_atom) {
      ++received;
    },
    [&](caf::error& err) {
      ++received;
      if (!result)
        result = std::move(err);
    },
    caf::after(std::chrono::seconds(120)) >>
      [&] {
        received = n;
        result
          = make_error(errc::not_found, std::string{"timeout while "} + what);
      });
  return result;
}

/// The position in `graph_spec::nodes` of every node's inputs, looked up by
/// name once (a million names in a hash map: each lookup is a cache miss).
class graph_inputs {
public:
  explicit graph_inputs(const graph_spec& g) {
    std::unordered_map<std::string_view, uint32_t> index;
    index.reserve(g.nodes.size());
    for (size_t i = 0; i < g.nodes.size(); ++i)
      index.emplace(g.nodes[i].name, static_cast<uint32_t>(i));
    first_.reserve(g.nodes.size() + 1);
    for (auto& n : g.nodes) {
      first_.push_back(static_cast<uint32_t>(of_.size()));
      for (auto& need : n.needs)
        of_.push_back(index.at(need));
    }
    first_.push_back(static_cast<uint32_t>(of_.size()));
  }

  /// The position of input `k` of node `i`.
  size_t at(size_t i, size_t k) const {
    return of_[first_[i] + k];
  }

  /// The number of inputs of node `i`.
  size_t count(size_t i) const {
    return first_[i + 1] - first_[i];
  }

private:
  std::vector<uint32_t> first_;
  std::vector<uint32_t> of_;
};

/// The band of every node: its depth (sensors 0, a derived node one more
/// than its deepest input), capped at the tracker's largest band.
std::vector<uint32_t> bands_of(const graph_spec& g, const graph_inputs& in) {
  std::vector<uint32_t> band(g.nodes.size(), 0);
  // Nodes come in topological order; a second pass would change nothing.
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    uint32_t b = 0;
    for (size_t k = 0; k < in.count(i); ++k)
      b = std::max(b, band[in.at(i, k)] + 1);
    band[i] = std::min(b, progress_tracker::max_bands - 1);
  }
  return band;
}

/// The cell of every node (runtime/cluster/cells.hpp), at most `capacity`
/// nodes a cell, with the anchors resolved through `in`.
std::vector<size_t> cells_of(const graph_spec& g, const graph_inputs& in,
                             size_t capacity) {
  std::vector<size_t> anchor(g.nodes.size(), 0);
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (g.nodes[i].kind != node_kind::sensor)
      anchor[i] = in.at(i, anchor_input(g.nodes[i]));
  return assign_cells(g, anchor, capacity);
}

/// A cell tells its nodes and its inputs apart by key: the keys of the
/// names it knows must differ.
caf::error check_cell_keys(const graph_spec& g, const cell_spec& c) {
  auto& sensor = g.nodes[c.sensors.front()];
  std::unordered_map<uint64_t, const std::string*> seen;
  auto add = [&](const node_spec& n, const std::string& name) -> caf::error {
    auto [i, added] = seen.emplace(node_key(name), &name);
    if (!added && *i->second != name)
      return node_error(n, "'" + name + "' and '" + *i->second
                             + "' collide in the key hash within the cell of "
                               "sensor '"
                             + sensor.name + "'");
    return caf::none;
  };
  for (auto k : c.sensors)
    if (auto err = add(g.nodes[k], g.nodes[k].name))
      return err;
  for (auto k : c.nodes) {
    auto& m = g.nodes[k];
    if (auto err = add(m, m.name))
      return err;
    for (auto& need : m.needs)
      if (auto err = add(m, need))
        return err;
  }
  return caf::none;
}

} // namespace

caf::expected<deployment> deploy(caf::scoped_actor& self, const graph_spec& g,
                                 const caf::actor& monitor,
                                 deploy_options opts) {
  deployment d;
  graph_inputs in{g};
  std::vector<std::string> sensor_names;
  std::vector<uint32_t> bands;
  if (opts.track_progress) {
    bands = bands_of(g, in);
    uint32_t top = 0;
    for (auto b : bands)
      top = std::max(top, b);
    d.tracker = std::make_shared<progress_tracker>(top + 1);
  }
  for (auto& n : g.nodes) {
    // Two inputs of one node must not share a batch key.
    for (size_t a = 0; a < n.needs.size(); ++a)
      for (size_t b = a + 1; b < n.needs.size(); ++b)
        if (n.needs[a] != n.needs[b]
            && node_key(n.needs[a]) == node_key(n.needs[b]))
          return node_error(n, "inputs '" + n.needs[a] + "' and '" + n.needs[b]
                                 + "' collide in the key hash");
  }
  auto groups = opts.cell_groups;
  if (groups == auto_cell_groups)
    groups = cell_groups_per_thread
             * std::max<size_t>(self->system().scheduler().num_workers(), 1);
  auto cell = opts.fuse
                ? cells_of(g, in, groups > 0 ? unlimited_cells : cell_capacity)
                : std::vector<size_t>{};
  auto in_cell = [&](size_t i) {
    return !cell.empty() && cell[i] != no_cell;
  };
  // The actor of each cell: its own, or its group's (the cells of sensors
  // spread round-robin over `cell_groups` actors). The specs of each actor,
  // its nodes in topological order, and each node's place in its actor.
  constexpr size_t no_unit = SIZE_MAX;
  std::vector<size_t> unit(cell.size(), no_unit);
  std::vector<cell_spec> specs;
  std::vector<uint32_t> slot(cell.size(), cell_node::from_outside);
  uint32_t sensors_seen = 0;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    auto directory = sensors_seen;
    if (g.nodes[i].kind == node_kind::sensor)
      ++sensors_seen;
    if (!in_cell(i))
      continue;
    if (cell[i] == i) {
      auto u = groups > 0 ? directory % groups : specs.size();
      if (u >= specs.size()) {
        specs.resize(u + 1);
        specs.back().graph = &g;
        specs.back().fns = opts.fns;
        specs.back().live = opts.live;
      }
      unit[i] = u;
      auto& c = specs[u];
      slot[i] = cell_node::sensor_ref(static_cast<uint32_t>(c.sensors.size()));
      c.sensors.push_back(i);
      c.directory.push_back(directory);
      continue;
    }
    auto u = unit[cell[i]];
    unit[i] = u;
    auto& c = specs[u];
    slot[i] = static_cast<uint32_t>(c.nodes.size());
    c.nodes.push_back(i);
    c.from.emplace_back();
    for (size_t k = 0; k < in.count(i); ++k) {
      auto j = in.at(i, k);
      c.from.back().push_back(unit[j] == u ? slot[j] : cell_node::from_outside);
    }
    if (d.tracker) {
      c.bands.push_back(bands[i]);
      c.input_bands.emplace_back();
      for (size_t k = 0; k < in.count(i); ++k)
        c.input_bands.back().push_back(bands[in.at(i, k)]);
    }
  }
  for (auto& c : specs)
    if (auto err = check_cell_keys(g, c))
      return err;
  std::vector<caf::actor> unit_actor;
  unit_actor.reserve(specs.size());
  for (auto& c : specs) {
    unit_actor.push_back(
      self->spawn(cell_actor, std::move(c), monitor, d.tracker));
    ++d.spawned;
  }
  d.actors.resize(g.nodes.size());
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    auto& n = g.nodes[i];
    if (n.kind != node_kind::sensor)
      ++d.derived;
    if (in_cell(i)) {
      d.actors[i] = unit_actor[unit[i]];
      if (n.kind == node_kind::sensor) {
        d.sensor_actors.push_back(d.actors[i]);
        sensor_names.push_back(n.name);
      }
    } else if (n.kind == node_kind::sensor) {
      actor_env env;
      env.live = opts.live;
      d.actors[i]
        = self->spawn(sensor_actor, n, monitor, d.tracker, false, env);
      ++d.spawned;
      d.sensor_actors.push_back(d.actors[i]);
      sensor_names.push_back(n.name);
    } else {
      node_band where;
      where.fns = opts.fns;
      where.env.live = opts.live;
      if (d.tracker) {
        where.tracker = d.tracker;
        where.band = bands[i];
        for (size_t k = 0; k < in.count(i); ++k)
          where.input_bands.push_back(bands[in.at(i, k)]);
      }
      d.actors[i] = self->spawn(node_actor, n, monitor, where);
      ++d.spawned;
    }
  }
  d.sensors = std::make_shared<sensor_directory>(std::move(sensor_names));
  // Wire every node actor and every cell to its inputs outside; the
  // replies come back as ordinary messages.
  size_t wired = 0;
  std::unordered_map<
    size_t, std::pair<std::vector<std::string>, std::vector<caf::actor>>>
    outside;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    auto& n = g.nodes[i];
    if (in_cell(i)) {
      auto& dir = outside[unit[i]];
      for (size_t k = 0; k < in.count(i); ++k) {
        auto j = in.at(i, k);
        if (unit[j] == unit[i])
          continue;
        dir.first.push_back(n.needs[k]);
        dir.second.push_back(d.actors[j]);
      }
      continue;
    }
    if (n.kind == node_kind::sensor)
      continue;
    std::vector<caf::actor> inputs;
    for (size_t k = 0; k < in.count(i); ++k)
      inputs.push_back(d.actors[in.at(i, k)]);
    self->send(d.actors[i], wire_atom_v, std::move(inputs));
    ++wired;
  }
  for (auto& [u, dir] : outside) {
    self->send(unit_actor[u], wire_atom_v, std::move(dir.first),
               std::move(dir.second));
    ++wired;
  }
  if (auto err = await_ok(self, wired, "wiring the graph"))
    return err;
  return d;
}

caf::expected<caf::actor> deploy_sink(caf::scoped_actor& self,
                                      const graph_spec& g, const deployment& d,
                                      std::shared_ptr<output_sink> out,
                                      const caf::actor& monitor,
                                      alert_rule alert) {
  std::vector<caf::actor> nodes;
  std::vector<std::string> names;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    if (g.nodes[i].emit) {
      nodes.push_back(d.actors[i]);
      names.push_back(g.nodes[i].name);
    }
  }
  auto sink = self->spawn(sink_actor, std::move(out), monitor, std::move(alert),
                          actor_env{});
  self->send(sink, wire_atom_v, std::move(nodes), std::move(names));
  if (auto err = await_ok(self, 1, "wiring the sink"))
    return err;
  return sink;
}

caf::expected<deployment>
deploy_with_sink(caf::scoped_actor& self, const graph_spec& g,
                 std::shared_ptr<output_sink> out, const caf::actor& monitor,
                 alert_rule alert, deploy_options opts) {
  auto d = deploy(self, g, monitor, opts);
  if (!d)
    return d.error();
  auto sink
    = deploy_sink(self, g, *d, std::move(out), monitor, std::move(alert));
  if (!sink)
    return sink.error();
  d->sink = std::move(*sink);
  return d;
}

void stop_deployment(caf::scoped_actor& self, const deployment& d,
                     const caf::actor& source) {
  if (source)
    self->send_exit(source, caf::exit_reason::user_shutdown);
  if (d.sink)
    self->send_exit(d.sink, caf::exit_reason::user_shutdown);
  for (auto& a : d.actors)
    self->send_exit(a, caf::exit_reason::user_shutdown);
}

caf::error attach_source(caf::scoped_actor& self, const deployment& d,
                         const caf::actor& source, uint64_t key) {
  for (uint32_t i = 0; i < d.sensor_actors.size(); ++i)
    self->send(d.sensor_actors[i], attach_atom_v, source, key, i);
  return await_ok(self, d.sensor_actors.size(), "attaching the source");
}

} // namespace shoal
