// A member's own work (runtime/http/member_work.hpp) and the per-node
// series chosen for /metrics (runtime/http/node_metrics.hpp): counters that
// only go up as nodes arrive and leave, globs, the top by errors, the cap,
// and the [http] table.

#include <gtest/gtest.h>
#include <string>
#include <vector>

#include "runtime/core/counts_slot.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/http/member_work.hpp"
#include "runtime/http/node_metrics.hpp"

using namespace shoal;

namespace {

node_counts counts(uint64_t firings, uint64_t outputs, uint64_t errors) {
  node_counts c;
  c.firings = firings;
  c.outputs = outputs;
  c.errors = errors;
  return c;
}

node_work feature(std::string name, uint64_t errors) {
  node_work n;
  n.name = std::move(name);
  n.kind = node_kind::feature;
  n.counts = counts(100, 100 - errors, errors);
  return n;
}

std::vector<std::string> names_of(const std::vector<node_work>& xs) {
  std::vector<std::string> out;
  for (auto& x : xs)
    out.push_back(x.name);
  return out;
}

} // namespace

TEST(CountsSlot, CountsFromWhatANodeArrivedWith) {
  counts_slot slot;
  slot.publish(counts(5, 4, 1));
  EXPECT_EQ(slot.node_here().firings, 5u);
  // A node that moved here with 100 firings, then fired 7 times here.
  counts_slot moved;
  moved.arrive(counts(100, 90, 10));
  EXPECT_EQ(moved.node().firings, 100u);
  EXPECT_EQ(moved.node_here().firings, 0u);
  moved.publish(counts(107, 96, 11));
  auto here = moved.node_here();
  EXPECT_EQ(here.firings, 7u);
  EXPECT_EQ(here.outputs, 6u);
  EXPECT_EQ(here.errors, 1u);
  ingest_counts s;
  s.accepted = 50;
  s[reject_reason::late] = 2;
  counts_slot sensor;
  sensor.arrive(s);
  s.accepted = 53;
  s[reject_reason::late] = 3;
  sensor.publish(s);
  EXPECT_EQ(sensor.samples_here().accepted, 3u);
  EXPECT_EQ(sensor.samples_here()[reject_reason::late], 1u);
}

TEST(CountsSlot, NeverCountsBelowZero) {
  counts_slot slot;
  slot.arrive(counts(100, 100, 0));
  // A restore from an older checkpoint publishes less than it arrived with
  // only through arrive, but a stray lower figure must not wrap around.
  slot.publish(counts(90, 90, 0));
  EXPECT_EQ(slot.node_here().firings, 0u);
}

TEST(WorkLedger, TotalsOnlyGoUpAsNodesLeave) {
  work_ledger ledger;
  auto live = [&](const std::vector<node_work>& nodes) {
    auto w = ledger.totals();
    for (auto& n : nodes)
      w.add_live(n);
    return w;
  };
  auto a = feature("a", 1);
  node_work m;
  m.name = "m";
  m.kind = node_kind::model;
  m.counts = counts(40, 30, 10);
  node_work s;
  s.name = "s";
  s.kind = node_kind::sensor;
  s.samples.accepted = 500;
  auto before = live({a, m, s});
  EXPECT_EQ(before.features.firings, 100u);
  EXPECT_EQ(before.models.errors, 10u);
  EXPECT_EQ(before.samples.accepted, 500u);
  EXPECT_EQ(before.nodes[static_cast<size_t>(node_kind::sensor)], 1u);
  EXPECT_EQ(before.per_node.size(), 3u);
  // The model and the sensor move away: their work stays counted here.
  ledger.retire(m);
  ledger.retire(s);
  auto after = live({a});
  EXPECT_EQ(after.models.firings, 40u);
  EXPECT_EQ(after.models.errors, 10u);
  EXPECT_EQ(after.samples.accepted, 500u);
  EXPECT_EQ(after.features.firings, 100u);
  EXPECT_EQ(after.nodes[static_cast<size_t>(node_kind::model)], 0u);
  EXPECT_EQ(after.per_node.size(), 1u);
}

TEST(NodeMetrics, GlobsMatchNames) {
  EXPECT_TRUE(glob_match("m1", "m1"));
  EXPECT_FALSE(glob_match("m1", "m10"));
  EXPECT_TRUE(glob_match("pump*.anomaly", "pump07.anomaly"));
  EXPECT_FALSE(glob_match("pump*.anomaly", "pump07.health"));
  EXPECT_TRUE(glob_match("pump?.x", "pump1.x"));
  EXPECT_FALSE(glob_match("pump?.x", "pump12.x"));
  EXPECT_TRUE(glob_match("*", ""));
  EXPECT_TRUE(glob_match("*a*b*c", "xxaxxbxxc"));
  EXPECT_FALSE(glob_match("*a*b*c", "xxaxxbxx"));
  EXPECT_TRUE(
    glob_match(std::string(50, '*') + "z", std::string(5000, 'a') + "z"));
}

TEST(NodeMetrics, NothingUnlessAskedFor) {
  std::vector<node_work> all{feature("a", 5), feature("b", 0)};
  EXPECT_TRUE(select_node_metrics(all, {}).empty());
}

TEST(NodeMetrics, NamedNodesThenTheTopByErrors) {
  std::vector<node_work> all{feature("pump2.anomaly", 0),
                             feature("pump1.anomaly", 3),
                             feature("x", 7),
                             feature("y", 9),
                             feature("z", 7),
                             feature("quiet", 0)};
  node_metrics_options opts;
  opts.patterns = {"pump*.anomaly"};
  opts.top = 2;
  // The two with the most errors not named already: y (9), then x and z
  // tie at 7 and x comes first by name. Sorted by name.
  EXPECT_EQ(
    names_of(select_node_metrics(all, opts)),
    (std::vector<std::string>{"pump1.anomaly", "pump2.anomaly", "x", "y"}));
  // Nodes without errors never fill the top.
  opts.patterns.clear();
  opts.top = 10;
  EXPECT_EQ(names_of(select_node_metrics(all, opts)),
            (std::vector<std::string>{"pump1.anomaly", "x", "y", "z"}));
  // A sensor ranks by the samples it rejected.
  node_work s;
  s.name = "s";
  s.kind = node_kind::sensor;
  s.samples[reject_reason::late] = 8;
  all.push_back(s);
  opts.top = 2;
  EXPECT_EQ(names_of(select_node_metrics(all, opts)),
            (std::vector<std::string>{"s", "y"}));
}

TEST(NodeMetrics, AtMostTheCap) {
  std::vector<node_work> all;
  for (size_t i = 0; i < node_metrics_cap + 500; ++i)
    all.push_back(feature("n" + std::to_string(100000 + i), i % 7));
  node_metrics_options opts;
  opts.patterns = {"*"};
  opts.top = 100;
  auto chosen = select_node_metrics(all, opts);
  ASSERT_EQ(chosen.size(), node_metrics_cap);
  // The named ones come first: the first `cap` names.
  EXPECT_EQ(chosen.front().name, "n100000");
  EXPECT_EQ(chosen.back().name,
            "n" + std::to_string(100000 + node_metrics_cap - 1));
  // The top fills only the room left.
  opts.patterns = {"n1000??"};
  chosen = select_node_metrics(all, opts);
  EXPECT_EQ(chosen.size(), 200u);
}

TEST(NodeMetrics, ReadsTheHttpTable) {
  auto doc = toml::parse(
    "[http]\nnode_metrics = [\"m1\", \"pump*.anomaly\"]\nnode_metrics_top = "
    "20\n");
  auto opts = read_node_metrics_options(doc["http"].as_table(), "n.toml");
  ASSERT_TRUE(opts);
  EXPECT_EQ(opts->patterns, (std::vector<std::string>{"m1", "pump*.anomaly"}));
  EXPECT_EQ(opts->top, 20u);
  auto none = read_node_metrics_options(nullptr, "n.toml");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->enabled());
  for (auto bad :
       {"[http]\nnode_metrics = \"m1\"\n", "[http]\nnode_metrics = [1]\n",
        "[http]\nnode_metrics_top = 1001\n", "[http]\nnode_metrics_top = -1\n",
        "[http]\nnode_metric = [\"m1\"]\n"}) {
    auto d = toml::parse(bad);
    auto r = read_node_metrics_options(d["http"].as_table(), "n.toml");
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(describe(r.error()).find("n.toml: [http]"), std::string::npos)
      << describe(r.error());
  }
}

TEST(MemberWork, KeepsAtLeastTheLastFigures) {
  member_work last;
  last.features = counts(10, 9, 1);
  last.models = counts(5, 5, 0);
  last.samples.accepted = 100;
  last.samples[reject_reason::malformed] = 4;
  member_work now;
  now.features = counts(12, 8, 1);
  now.samples.accepted = 90;
  now.samples[reject_reason::late] = 2;
  now.keep_at_least(last);
  EXPECT_EQ(now.features.firings, 12u);
  EXPECT_EQ(now.features.outputs, 9u);
  EXPECT_EQ(now.models.firings, 5u);
  EXPECT_EQ(now.samples.accepted, 100u);
  EXPECT_EQ(now.samples[reject_reason::malformed], 4u);
  EXPECT_EQ(now.samples[reject_reason::late], 2u);
}
