// The synthetic plant written as a graph file loads back as the same nodes.

#include <gtest/gtest.h>
#include <string>

#include "apps/shoal-bench/synthetic_graph.hpp"
#include "apps/shoal-bench/synthetic_toml.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/graph/graph_load.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

/// Every field that the file carries; `file` names where a node was read.
void expect_same_nodes(const graph_spec& want, const graph_spec& got) {
  ASSERT_EQ(want.nodes.size(), got.nodes.size());
  for (auto& w : want.nodes) {
    auto i = got.find(w.name);
    ASSERT_TRUE(i) << w.name;
    auto g = got.nodes[*i];
    g.file = w.file;
    EXPECT_EQ(w, g) << w.name;
  }
}

} // namespace

TEST(SyntheticToml, LoadsBackAsTheSameNodes) {
  synthetic_options opts;
  opts.sensors = 12;
  opts.lua_share = 0.3;
  auto g = make_synthetic_graph(opts);
  ASSERT_TRUE(g) << describe(g.error());
  auto path = write_temp_file("synthetic_plant.toml", "");
  ASSERT_FALSE(write_synthetic_graph(path, *g));
  auto loaded = load_graph(path);
  ASSERT_TRUE(loaded) << describe(loaded.error());
  expect_same_nodes(*g, *loaded);
}

TEST(SyntheticToml, EscapesStringsAndKeepsEveryDouble) {
  graph_spec g;
  node_spec s;
  s.name = "s";
  g.nodes.push_back(s);
  node_spec f;
  f.name = "f";
  f.kind = node_kind::feature;
  f.fn = "lua";
  f.needs = {"s"};
  f.code = "return function(x)\n\treturn x .. \"\\\\\" and x end";
  f.emit = true;
  g.nodes.push_back(f);
  node_spec m;
  m.name = "m";
  m.kind = node_kind::model;
  m.fn = "linear";
  m.needs = {"s", "f"};
  m.weights = {0.1, -3.0};
  m.bias = 1e-300;
  m.link = "logistic";
  m.emit = false;
  g.nodes.push_back(m);
  auto path = write_temp_file("synthetic_escapes.toml", "");
  ASSERT_FALSE(write_synthetic_graph(path, g));
  auto loaded = load_graph(path);
  ASSERT_TRUE(loaded) << describe(loaded.error());
  expect_same_nodes(g, *loaded);
}

TEST(SyntheticToml, RefusesWhatThePlantDoesNotUse) {
  graph_spec g;
  node_spec m;
  m.name = "x";
  m.kind = node_kind::model;
  m.fn = "xgboost";
  g.nodes.push_back(m);
  auto text = synthetic_graph_toml(g);
  ASSERT_FALSE(text);
  EXPECT_NE(describe(text.error()).find("node x"), std::string::npos);
}
