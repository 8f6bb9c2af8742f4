// The graph loader on one file: keys, their types and defaults, and the
// errors that name what is wrong where.

#include <gtest/gtest.h>
#include <string>
#include <vector>

#include "runtime/core/errc.hpp"
#include "runtime/graph/graph_loader.hpp"
#include "tests/support/graph_loader_fixture.hpp"

using namespace shoal;
using namespace shoal::test_support;

TEST_F(GraphLoader, ParsesEveryParameterWithItsType) {
  auto g = parse_graph_file(write("main.toml", R"(
[[sensor]]
name = "p1.temp"
unit = "degC"
emit = true

[[feature]]
name = "p1.mean"
fn = "rolling_mean"
needs = ["p1.temp", "p1.temp"]
trigger = ["p1.temp"]
emit = true
window = 10
window_ns = 5_000_000_000
alpha = 1
code = "unused"

[[model]]
name = "p1.anomaly"
kind = "linear"
needs = ["p1.mean", "p1.temp"]
trigger = ["p1.mean"]
emit = false
weights = [1, -0.002]
bias = 2
link = "logistic"
)"));
  ASSERT_TRUE(g) << describe(g.error());
  ASSERT_EQ(g->nodes.size(), 3u);
  const auto& s = g->nodes[0];
  EXPECT_EQ(s.name, "p1.temp");
  EXPECT_EQ(s.kind, node_kind::sensor);
  EXPECT_EQ(s.unit, "degC");
  EXPECT_TRUE(s.emit);
  EXPECT_EQ(s.file, main_file());
  const auto& f = g->nodes[1];
  EXPECT_EQ(f.kind, node_kind::feature);
  EXPECT_EQ(f.fn, "rolling_mean");
  EXPECT_EQ(f.needs, (std::vector<std::string>{"p1.temp", "p1.temp"}));
  EXPECT_EQ(f.trigger, std::vector<std::string>{"p1.temp"});
  EXPECT_TRUE(f.emit);
  EXPECT_EQ(f.window, 10);
  EXPECT_EQ(f.window_ns, 5'000'000'000);
  EXPECT_EQ(f.alpha, 1.0);
  EXPECT_EQ(f.code, "unused");
  EXPECT_TRUE(f.path.empty());
  const auto& m = g->nodes[2];
  EXPECT_EQ(m.kind, node_kind::model);
  EXPECT_EQ(m.fn, "linear");
  EXPECT_EQ(m.needs, (std::vector<std::string>{"p1.mean", "p1.temp"}));
  EXPECT_EQ(m.trigger, std::vector<std::string>{"p1.mean"});
  EXPECT_FALSE(m.emit);
  EXPECT_EQ(m.weights, (std::vector<double>{1.0, -0.002}));
  EXPECT_EQ(m.bias, 2.0);
  EXPECT_EQ(m.link, "logistic");
}

TEST_F(GraphLoader, AppliesDefaultsPerKind) {
  auto g = parse_graph_file(write("main.toml", R"(
[[sensor]]
name = "s"
[[feature]]
name = "f"
fn = "diff"
needs = ["s"]
[[model]]
name = "m"
kind = "linear"
needs = ["f"]
)"));
  ASSERT_TRUE(g) << describe(g.error());
  ASSERT_EQ(g->nodes.size(), 3u);
  EXPECT_FALSE(g->nodes[0].emit);
  EXPECT_FALSE(g->nodes[1].emit);
  EXPECT_TRUE(g->nodes[2].emit);
  EXPECT_EQ(g->nodes[1].window, 0);
  EXPECT_EQ(g->nodes[1].window_ns, 0);
  EXPECT_TRUE(g->nodes[1].trigger.empty());
  EXPECT_EQ(g->nodes[2].link, "identity");
  EXPECT_EQ(g->nodes[2].bias, 0.0);
  EXPECT_TRUE(g->nodes[2].weights.empty());
}

TEST_F(GraphLoader, KeepsFileOrderAcrossKinds) {
  auto g = parse_graph_file(write("main.toml", R"(
[[model]]
name = "m"
kind = "linear"
needs = ["f"]
[[sensor]]
name = "s1"
[[feature]]
name = "f"
fn = "diff"
needs = ["s1"]
[[sensor]]
name = "s2"
)"));
  ASSERT_TRUE(g) << describe(g.error());
  ASSERT_EQ(g->nodes.size(), 4u);
  EXPECT_EQ(g->nodes[0].name, "m");
  EXPECT_EQ(g->nodes[1].name, "s1");
  EXPECT_EQ(g->nodes[2].name, "f");
  EXPECT_EQ(g->nodes[3].name, "s2");
}

TEST_F(GraphLoader, RejectsUnknownKeyNamingIt) {
  auto err = parse_error_of(R"(
[[feature]]
name = "f"
fn = "rolling_mean"
needs = ["s"]
windw = 10
)");
  EXPECT_EQ(err.rfind(main_file() + ": node 'f': unknown key 'windw'", 0), 0u)
    << err;
  // Sensors take no inputs, so `needs` is unknown there.
  err = parse_error_of("[[sensor]]\nname = \"s\"\nneeds = [\"x\"]\n");
  EXPECT_NE(err.find("node 's': unknown key 'needs'"), std::string::npos)
    << err;
}

TEST_F(GraphLoader, RejectsUnknownTopLevelKey) {
  auto err = parse_error_of("[[sensors]]\nname = \"s\"\n");
  EXPECT_EQ(err.rfind(main_file() + ": unknown top-level key 'sensors'", 0), 0u)
    << err;
  err = parse_error_of("[sensor]\nname = \"s\"\n");
  EXPECT_EQ(err,
            main_file() + ": 'sensor' must be an array of tables ([[sensor]])");
}

TEST_F(GraphLoader, RejectsWrongTypeNamingKeyAndExpectedType) {
  auto feature = [](const std::string& extra) {
    return "[[feature]]\nname = \"f\"\nfn = \"rolling_mean\"\nneeds = "
           "[\"s\"]\n"
           + extra + "\n";
  };
  auto prefix = main_file() + ": node 'f': ";
  EXPECT_EQ(parse_error_of(feature("window = \"10\"")),
            prefix + "'window' must be an integer >= 1, not a string");
  EXPECT_EQ(parse_error_of(feature("window_ns = 1.5")),
            prefix + "'window_ns' must be an integer >= 1, not a float");
  EXPECT_EQ(parse_error_of(feature("emit = 1")),
            prefix
              + "'emit' must be a boolean (true or false), not an "
                "integer");
  EXPECT_EQ(parse_error_of(feature("alpha = \"0.5\"")),
            prefix + "'alpha' must be a number, not a string");
  EXPECT_EQ(parse_error_of(feature("trigger = \"s\"")),
            prefix + "'trigger' must be an array of strings, not a string");
  EXPECT_EQ(parse_error_of(feature("code = 3")),
            prefix + "'code' must be a string, not an integer");
  EXPECT_EQ(parse_error_of("[[feature]]\nname = \"f\"\nfn = \"diff\"\n"
                           "needs = [\"s\", 2]\n"),
            prefix
              + "'needs' must be an array of strings, not an array "
                "holding an integer");
  EXPECT_EQ(parse_error_of("[[model]]\nname = \"m\"\nkind = \"linear\"\n"
                           "needs = [\"s\"]\nweights = [1, \"x\"]\n"),
            main_file()
              + ": node 'm': 'weights' must be an array of numbers, "
                "not an array holding a string");
  EXPECT_EQ(parse_error_of("[[model]]\nname = \"m\"\nkind = \"linear\"\n"
                           "needs = [\"s\"]\nbias = true\n"),
            main_file() + ": node 'm': 'bias' must be a number, not a boolean");
  EXPECT_EQ(parse_error_of("[[sensor]]\nname = 7\n"),
            main_file()
              + ": sensor at line 1: 'name' must be a string, not "
                "an integer");
}

TEST_F(GraphLoader, RejectsWindowBelowOne) {
  auto err = parse_error_of("[[feature]]\nname = \"f\"\nfn = \"rolling_sum\"\n"
                            "needs = [\"s\"]\nwindow = 0\n");
  EXPECT_EQ(err, main_file()
                   + ": node 'f': 'window' must be an integer >= 1, not 0");
}

TEST_F(GraphLoader, RejectsMissingRequiredKeys) {
  EXPECT_EQ(parse_error_of("[[sensor]]\nunit = \"V\"\n"),
            main_file() + ": sensor at line 1: missing required key 'name'");
  EXPECT_EQ(parse_error_of("[[feature]]\nname = \"f\"\nneeds = [\"s\"]\n"),
            main_file() + ": node 'f': missing required key 'fn'");
  EXPECT_EQ(parse_error_of("[[feature]]\nname = \"f\"\nfn = \"diff\"\n"),
            main_file() + ": node 'f': missing required key 'needs'");
  EXPECT_EQ(parse_error_of("[[model]]\nname = \"m\"\nneeds = [\"s\"]\n"),
            main_file() + ": node 'm': missing required key 'kind'");
}

TEST_F(GraphLoader, ReportsTomlSyntaxErrorWithLineAndColumn) {
  auto err = parse_error_of("[[sensor]]\nname = \"s\"\nunit = degC\n");
  EXPECT_EQ(err.rfind(main_file() + ":3:", 0), 0u) << err;
  // The description of toml++ follows the position.
  EXPECT_GT(err.size(), main_file().size() + 6) << err;
}
