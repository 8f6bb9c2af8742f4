// The synthetic plant of shoal-bench: node counts, structure, validity and
// determinism.

#include <algorithm>
#include <gtest/gtest.h>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>

#include "apps/shoal-bench/synthetic_graph.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/graph/graph_validator.hpp"
#include "runtime/semantics/reference_evaluator.hpp"

using namespace shoal;

namespace {

synthetic_options small(size_t sensors = 12) {
  synthetic_options o;
  o.sensors = sensors;
  return o;
}

graph_spec build(const synthetic_options& o) {
  auto g = make_synthetic_graph(o);
  EXPECT_TRUE(g) << describe(g.error());
  return g ? std::move(*g) : graph_spec{};
}

std::map<node_kind, size_t> kinds(const graph_spec& g) {
  std::map<node_kind, size_t> n;
  for (const auto& x : g.nodes)
    ++n[x.kind];
  return n;
}

/// The sensor a node belongs to: "s12.m3" -> "s12".
std::string owner(const std::string& name) {
  return name.substr(0, name.find('.'));
}

} // namespace

TEST(SyntheticGraph, StandardWorkloadHasOneHundredThousandNodes) {
  synthetic_options o;
  EXPECT_EQ(synthetic_node_count(o), 100'000u);
  auto big = synthetic_for_nodes(o, 1'000'000);
  EXPECT_EQ(big.sensors, 100'000u);
  EXPECT_EQ(synthetic_node_count(big), 1'000'000u);
  // Rounds up to whole sensors, and never below one.
  EXPECT_EQ(synthetic_for_nodes(o, 11).sensors, 2u);
  EXPECT_EQ(synthetic_for_nodes(o, 0).sensors, 1u);
}

TEST(SyntheticGraph, NodeCountsFollowParameters) {
  const std::tuple<size_t, size_t, size_t, size_t> cases[] = {
    {12, 3, 6, 4}, {5, 0, 2, 1}, {7, 4, 0, 1}, {3, 9, 5, 5}, {1, 2, 3, 1},
  };
  for (auto [sensors, features, models, layers] : cases) {
    auto o = small(sensors);
    o.features_per_sensor = features;
    o.models_per_sensor = models;
    o.layers = layers;
    o.join_fanin = std::min<size_t>(2, sensors - 1);
    auto g = build(o);
    EXPECT_EQ(g.nodes.size(), synthetic_node_count(o));
    auto n = kinds(g);
    EXPECT_EQ(n[node_kind::sensor], sensors);
    EXPECT_EQ(n[node_kind::feature], sensors * features);
    EXPECT_EQ(n[node_kind::model], sensors * models);
  }
}

TEST(SyntheticGraph, IsValidAndInTopologicalOrder) {
  auto o = small(20);
  o.lua_share = 0.2;
  auto g = build(o);
  std::unordered_map<std::string, size_t> pos;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    for (const auto& need : g.nodes[i].needs) {
      ASSERT_TRUE(pos.count(need)) << g.nodes[i].name << " needs " << need;
    }
    pos.emplace(g.nodes[i].name, i);
  }
  // Validating again keeps the order; the reference evaluator accepts it.
  auto copy = g;
  auto err = validate_graph(copy, [](const node_spec&) {
    return caf::error{};
  });
  EXPECT_FALSE(err) << describe(err);
  for (size_t i = 0; i < g.nodes.size(); ++i)
    EXPECT_EQ(copy.nodes[i].name, g.nodes[i].name);
  EXPECT_TRUE(reference_evaluator::make(g));
}

TEST(SyntheticGraph, FeaturesAreDrawnRoundRobinFromTheBuiltIns) {
  auto o = small(6);
  auto g = build(o);
  std::set<std::tuple<std::string, int64_t, int64_t, double>> seen;
  std::vector<std::string> fns;
  for (const auto& n : g.nodes) {
    if (n.kind != node_kind::feature)
      continue;
    ASSERT_EQ(n.needs, std::vector<std::string>{owner(n.name)});
    EXPECT_FALSE(n.emit);
    seen.emplace(n.fn, n.window, n.window_ns, n.alpha);
    fns.push_back(n.fn);
  }
  // Nine templates, used in turn over 18 features: each exactly twice.
  EXPECT_EQ(seen.size(), 9u);
  for (size_t i = 0; i + 9 < fns.size(); ++i)
    EXPECT_EQ(fns[i], fns[i + 9]);
  std::set<std::string> names{fns.begin(), fns.end()};
  EXPECT_EQ(names, (std::set<std::string>{"diff", "ewma", "rate", "rolling_max",
                                          "rolling_mean", "rolling_std"}));
  // Count and time windows both occur.
  EXPECT_TRUE(std::any_of(seen.begin(), seen.end(), [](const auto& t) {
    return std::get<1>(t) > 0;
  }));
  EXPECT_TRUE(std::any_of(seen.begin(), seen.end(), [](const auto& t) {
    return std::get<2>(t) > 0;
  }));
}

TEST(SyntheticGraph, LuaShareIsExactAndEvenlySpread) {
  for (double share : {0.0, 0.25, 0.5, 1.0}) {
    auto o = small(16);
    o.lua_share = share;
    auto g = build(o);
    size_t lua = 0;
    size_t features = 0;
    for (const auto& n : g.nodes) {
      if (n.kind != node_kind::feature)
        continue;
      ++features;
      if (n.fn == "lua") {
        ++lua;
        EXPECT_FALSE(n.code.empty());
      }
    }
    EXPECT_EQ(lua, static_cast<size_t>(share * static_cast<double>(features)))
      << "share " << share;
  }
  // A quarter: one Lua feature in every four.
  auto o = small(4);
  o.features_per_sensor = 4;
  o.lua_share = 0.25;
  auto g = build(o);
  for (size_t s = 0; s < 4; ++s) {
    size_t lua = 0;
    for (const auto& n : g.nodes)
      if (n.kind == node_kind::feature
          && owner(n.name) == "s" + std::to_string(s))
        lua += n.fn == "lua" ? 1 : 0;
    EXPECT_EQ(lua, 1u) << "sensor " << s;
  }
}

TEST(SyntheticGraph, ModelLayersJoinOtherSensors) {
  auto o = small(10);
  o.models_per_sensor = 6;
  o.layers = 4;
  o.join_fanin = 3;
  auto g = build(o);
  std::unordered_map<std::string, size_t> layer;
  for (size_t j = 0; j < 6; ++j)
    for (size_t s = 0; s < 10; ++s)
      layer["s" + std::to_string(s) + ".m" + std::to_string(j)]
        = synthetic_model_layer(o, j);
  EXPECT_EQ(synthetic_model_layer(o, 0), 0u);
  EXPECT_EQ(synthetic_model_layer(o, 5), 3u);
  for (const auto& n : g.nodes) {
    if (n.kind != node_kind::model)
      continue;
    EXPECT_TRUE(n.emit);
    EXPECT_EQ(n.fn, "linear");
    EXPECT_EQ(n.weights.size(), n.needs.size());
    auto k = layer.at(n.name);
    if (k == 0) {
      for (const auto& need : n.needs)
        EXPECT_EQ(owner(need), owner(n.name));
      EXPECT_EQ(n.needs.size(), o.features_per_sensor);
      continue;
    }
    // Own inputs first (the triggers), then one model of each of
    // `join_fanin` distinct other sensors, all from the layer below.
    std::set<std::string> others;
    for (const auto& need : n.needs) {
      EXPECT_EQ(layer.at(need), k - 1) << n.name << " needs " << need;
      if (owner(need) != owner(n.name))
        others.insert(owner(need));
    }
    EXPECT_EQ(others.size(), o.join_fanin) << n.name;
    EXPECT_EQ(n.needs.size(), n.trigger.size() + o.join_fanin) << n.name;
    for (const auto& t : n.trigger)
      EXPECT_EQ(owner(t), owner(n.name));
  }
}

TEST(SyntheticGraph, SameOptionsGiveTheSameGraph) {
  auto o = small(30);
  o.lua_share = 0.1;
  auto a = build(o);
  auto b = build(o);
  ASSERT_EQ(a.nodes.size(), b.nodes.size());
  for (size_t i = 0; i < a.nodes.size(); ++i)
    EXPECT_EQ(a.nodes[i], b.nodes[i]) << a.nodes[i].name;
  // Another seed: the same nodes, other joins and weights.
  o.seed = 2;
  auto c = build(o);
  ASSERT_EQ(a.nodes.size(), c.nodes.size());
  size_t differ = 0;
  for (size_t i = 0; i < a.nodes.size(); ++i) {
    EXPECT_EQ(a.nodes[i].name, c.nodes[i].name);
    differ += a.nodes[i] != c.nodes[i] ? 1 : 0;
  }
  EXPECT_GT(differ, 0u);
}

TEST(SyntheticGraph, RejectsOptionsOutOfRange) {
  auto rejects = [](synthetic_options o, const std::string& option) {
    auto g = make_synthetic_graph(o);
    ASSERT_FALSE(g) << option;
    EXPECT_NE(describe(g.error()).find(option), std::string::npos)
      << describe(g.error());
  };
  auto o = small();
  o.sensors = 0;
  rejects(o, "--sensors");
  o = small();
  o.layers = 7;
  rejects(o, "--layers");
  o = small();
  o.layers = 0;
  rejects(o, "--layers");
  o = small(3);
  o.join_fanin = 3;
  rejects(o, "--join-fanin");
  o = small();
  o.lua_share = 1.5;
  rejects(o, "--lua-share");
}
