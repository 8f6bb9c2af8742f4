// The demo graph (config/demo) against the simulated plant it is made for.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <gtest/gtest.h>
#include <map>
#include <string>
#include <vector>

#include "runtime/core/errc.hpp"
#include "runtime/core/types.hpp"
#include "runtime/graph/graph_load.hpp"
#include "runtime/semantics/reference_evaluator.hpp"
#include "runtime/sim/plant_sim.hpp"
#include "tests/support/plant_samples.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

const std::string demo_graph = SHOAL_SOURCE_DIR "/config/demo/plant.toml";

std::map<node_kind, size_t> count_kinds(const graph_spec& g) {
  std::map<node_kind, size_t> result;
  for (const auto& n : g.nodes)
    ++result[n.kind];
  return result;
}

/// The nodes of one pump (names "pumpNN."), still in topological order.
graph_spec pump_subgraph(const graph_spec& g, const std::string& prefix) {
  graph_spec sub;
  for (const auto& n : g.nodes)
    if (n.name.compare(0, prefix.size(), prefix) == 0)
      sub.nodes.push_back(n);
  return sub;
}

struct scores {
  std::vector<point> anomaly;
  std::vector<point> health;
  /// The trained fault detectors (config/demo/train_models.py).
  std::vector<point> fault_xgb;
  std::vector<point> fault_mlp;
};

/// Runs pump `pump`'s part of the demo graph over its simulated readings in
/// (from, to].
scores run_pump(const graph_spec& g, const plant_sim& sim, int pump,
                int64_t from, int64_t to) {
  char prefix[32];
  std::snprintf(prefix, sizeof(prefix), "pump%02d.", pump + 1);
  auto ev = reference_evaluator::make(pump_subgraph(g, prefix));
  EXPECT_TRUE(ev) << describe(ev.error());
  scores result;
  if (!ev)
    return result;
  const std::map<std::string, std::vector<point>*> wanted = {
    {std::string{prefix} + "anomaly", &result.anomaly},
    {std::string{prefix} + "health", &result.health},
    {std::string{prefix} + "fault_xgb", &result.fault_xgb},
    {std::string{prefix} + "fault_mlp", &result.fault_mlp},
  };
  ev->set_output_sink([&](const std::string& node, int64_t ts, double v) {
    if (auto i = wanted.find(node); i != wanted.end())
      i->second->push_back({ts, v});
  });
  std::vector<sim_sample> buf;
  for (auto at = from; at < to; at += 60 * sec) {
    buf.clear();
    sim.generate(at, std::min(at + 60 * sec, to), buf);
    for (const auto& s : buf)
      if (s.sensor / sensors_per_pump == static_cast<uint32_t>(pump))
        ev->offer(sim.sensor_names()[s.sensor], s.ts, s.value);
  }
  ev->finish();
  return result;
}

double mean_between(const std::vector<point>& xs, int64_t from, int64_t to) {
  double sum = 0;
  size_t n = 0;
  for (const auto& x : xs)
    if (x.ts > from && x.ts <= to) {
      sum += x.value;
      ++n;
    }
  return n == 0 ? NAN : sum / static_cast<double>(n);
}

/// The first fault of `kind` after t0 whose pump was quiet for 20 minutes.
sim_fault quiet_fault(const plant_sim& sim, fault_kind kind) {
  auto f = find_fault(sim, kind, 1200 * sec, 12 * 3600 * sec);
  if (!f)
    ADD_FAILURE() << "no quiet " << to_string(kind) << " fault";
  return f.value_or(sim_fault{});
}

} // namespace

TEST(DemoGraph, LoadsAndMatchesTheSimulatedPlant) {
  // load_graph builds every function once: Lua chunks compile, parameters
  // are in range.
  auto g = load_graph(demo_graph);
  ASSERT_TRUE(g) << describe(g.error());
  auto kinds = count_kinds(*g);
  EXPECT_EQ(kinds[node_kind::sensor], 200u);
  EXPECT_EQ(kinds[node_kind::feature], 50u * 11);
  EXPECT_EQ(kinds[node_kind::model], 50u * 4 + 3);
  // The graph's sensors are exactly the simulator's, with the same units.
  plant_sim sim{plant_config{}};
  std::map<std::string, std::string> units;
  for (const auto& n : g->nodes)
    if (n.kind == node_kind::sensor)
      units.emplace(n.name, n.unit);
  ASSERT_EQ(units.size(), sim.sensor_names().size());
  for (size_t i = 0; i < sim.sensor_names().size(); ++i) {
    auto j = units.find(sim.sensor_names()[i]);
    ASSERT_NE(j, units.end()) << sim.sensor_names()[i];
    EXPECT_EQ(j->second, sim.sensor_units()[i]) << j->first;
  }
  // Every pump has its anomaly score, health and fault detectors; the plant
  // models read all pumps.
  for (auto name : {"plant.risk", "plant.alerts", "plant.faulty_pumps"}) {
    auto i = g->find(name);
    ASSERT_TRUE(i) << name;
    EXPECT_EQ(g->nodes[*i].needs.size(), 50u);
    EXPECT_EQ(g->nodes[*i].trigger.size(), 3u);
  }
  const auto& risk = g->nodes[*g->find("plant.risk")];
  double sum = 0;
  for (auto w : risk.weights)
    sum += w;
  EXPECT_NEAR(sum, 1.0, 1e-4);
}

TEST(DemoGraph, ScoresSeparateFaultyFromHealthyPumps) {
  auto g = load_graph(demo_graph);
  ASSERT_TRUE(g) << describe(g.error());
  plant_sim sim{plant_config{}};
  for (auto kind : {fault_kind::cavitation, fault_kind::bearing_wear}) {
    SCOPED_TRACE(to_string(kind));
    auto f = quiet_fault(sim, kind);
    auto len = f.end - f.start;
    auto out = run_pump(*g, sim, f.pump, f.start - 900 * sec, f.end);
    // Healthy: the ten minutes before the fault.
    auto calm = f.start - 600 * sec;
    EXPECT_LT(mean_between(out.anomaly, calm, f.start), 0.1);
    EXPECT_GT(mean_between(out.health, calm, f.start), 95);
    // Faulty: the middle of a cavitation, the last fifth of a bearing's wear.
    auto from
      = kind == fault_kind::cavitation ? f.start + len / 4 : f.end - len / 5;
    auto to = kind == fault_kind::cavitation ? f.end - len / 4 : f.end;
    EXPECT_GT(mean_between(out.anomaly, from, to), 0.5);
    EXPECT_LT(mean_between(out.health, from, to), 70);
    // The trained models were fitted on readings of other simulated pumps
    // (train_models.py); they must tell this pump's fault from health too.
    for (const auto* fault : {&out.fault_xgb, &out.fault_mlp}) {
      EXPECT_LT(mean_between(*fault, calm, f.start), 0.05);
      EXPECT_GT(mean_between(*fault, from, to), 0.9);
    }
  }
}

TEST(DemoGraph, WholePlantRunsForTwoMinutes) {
  auto g = load_graph(demo_graph);
  ASSERT_TRUE(g) << describe(g.error());
  auto ev = reference_evaluator::make(*g);
  ASSERT_TRUE(ev) << describe(ev.error());
  std::vector<double> risk;
  std::vector<double> alerts;
  std::vector<double> faulty;
  ev->set_output_sink([&](const std::string& node, int64_t, double v) {
    if (node == "plant.risk")
      risk.push_back(v);
    else if (node == "plant.alerts")
      alerts.push_back(v);
    else if (node == "plant.faulty_pumps")
      faulty.push_back(v);
  });
  plant_sim sim{plant_config{}};
  std::vector<sim_sample> buf;
  for (auto at = t0; at < t0 + 120 * sec; at += 10 * sec) {
    buf.clear();
    sim.generate(at, at + 10 * sec, buf);
    for (const auto& s : buf)
      ev->offer(sim.sensor_names()[s.sensor], s.ts, s.value);
  }
  ev->finish();
  const auto& res = ev->result();
  EXPECT_GT(res.ingest.accepted, 120 * 4000u);
  // Every derived node fired, and only the head-ratio functions fail (on
  // pressure spikes, by design).
  for (size_t i = 0; i < g->nodes.size(); ++i) {
    const auto& n = g->nodes[i];
    if (n.kind == node_kind::sensor)
      continue;
    EXPECT_GT(res.nodes[i].outputs, 0u) << n.name;
    auto suffix = std::string{".head_ratio"};
    auto is_head_ratio
      = n.name.size() > suffix.size()
        && n.name.compare(n.name.size() - suffix.size(), suffix.size(), suffix)
             == 0;
    if (!is_head_ratio) {
      EXPECT_EQ(res.nodes[i].errors, 0u)
        << n.name << ": " << res.nodes[i].last_error;
    }
  }
  ASSERT_FALSE(risk.empty());
  ASSERT_FALSE(alerts.empty());
  for (auto x : risk) {
    EXPECT_GE(x, 0.0);
    EXPECT_LE(x, 1.0);
  }
  for (auto x : alerts) {
    EXPECT_EQ(x, std::floor(x));
    EXPECT_LE(x, 50.0);
  }
  ASSERT_FALSE(faulty.empty());
  for (auto x : faulty) {
    EXPECT_GE(x, 0.0);
    EXPECT_LE(x, 50.0);
  }
}
