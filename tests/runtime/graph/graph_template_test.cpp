// Templates and their instances (SPEC section 11): what an instance expands
// to, inline and from a device list, with each `${p}` put in; where the
// nodes land; templates across included files.

#include <gtest/gtest.h>
#include <string>
#include <vector>

#include "runtime/core/errc.hpp"
#include "runtime/graph/graph_loader.hpp"
#include "runtime/graph/graph_validator.hpp"
#include "tests/support/graph_loader_fixture.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

/// The template of SPEC section 11.
const std::string pump_template = R"(
[[template]]
name = "pump"
params = ["id", "limit"]

[[template.sensor]]
name = "${id}.temp"
[[template.feature]]
name = "${id}.temp.mean"
fn = "rolling_mean"
needs = ["${id}.temp"]
window = 10
[[template.model]]
name = "${id}.over"
kind = "linear"
needs = ["${id}.temp.mean"]
weights = [1.0]
bias = "${limit}"
)";

std::vector<std::string> names_of(const graph_spec& g) {
  std::vector<std::string> names;
  for (const auto& n : g.nodes)
    names.push_back(n.name);
  return names;
}

} // namespace

TEST_F(GraphLoader, ExpandsInlineInstancesAndDeviceListsInPlace) {
  write("pumps.csv", "id,limit\np002,-70\np003,-60.5\n");
  auto g = parse_graph_file(write("main.toml", pump_template + R"(
[[sensor]]
name = "first"

[[instance]]
template = "pump"
id = "p001"
limit = -80.0

[[instances]]
template = "pump"
csv = "pumps.csv"

[[sensor]]
name = "last"
)"));
  ASSERT_TRUE(g) << describe(g.error());
  EXPECT_EQ(names_of(*g),
            (std::vector<std::string>{
              "first", "p001.temp", "p001.temp.mean", "p001.over", "p002.temp",
              "p002.temp.mean", "p002.over", "p003.temp", "p003.temp.mean",
              "p003.over", "last"}));
  const auto& over = g->nodes[3];
  EXPECT_EQ(over.kind, node_kind::model);
  EXPECT_EQ(over.fn, "linear");
  EXPECT_EQ(over.needs, (std::vector<std::string>{"p001.temp.mean"}));
  EXPECT_EQ(over.weights, (std::vector<double>{1.0}));
  EXPECT_EQ(over.bias, -80.0);
  EXPECT_TRUE(over.emit);
  EXPECT_EQ(g->nodes[2].window, 10);
  // From the CSV, "-70" and "-60.5" went whole into a number: numbers.
  EXPECT_EQ(g->nodes[6].bias, -70.0);
  EXPECT_EQ(g->nodes[9].bias, -60.5);
  // Every node names where it came from.
  EXPECT_EQ(over.file,
            main_file() + ": template 'pump', [[instance]] 1 (line 23)");
  EXPECT_EQ(g->nodes[9].file, main_file() + ": template 'pump', "
                                + (dir_ / "pumps.csv").string() + " line 3");
}

TEST_F(GraphLoader, AWholeReferenceTakesTheValueAndItsType) {
  auto g = parse_graph_file(write("main.toml", R"(
[[template]]
name = "t"
params = ["id", "w", "n", "on", "b"]
[[template.sensor]]
name = "${id}"
emit = "${on}"
[[template.feature]]
name = "${id}.f"
fn = "rolling_mean"
needs = ["${id}"]
window = "${n}"
[[template.model]]
name = "${id}.m"
kind = "linear"
needs = ["${id}.f", "${id}"]
weights = "${w}"
bias = "${b}"

[[instance]]
template = "t"
id = "a"
w = [0.5, 2]
n = 7
on = true
b = 3
)"));
  ASSERT_TRUE(g) << describe(g.error());
  ASSERT_EQ(g->nodes.size(), 3u);
  EXPECT_TRUE(g->nodes[0].emit);
  EXPECT_EQ(g->nodes[1].window, 7);
  EXPECT_EQ(g->nodes[2].weights, (std::vector<double>{0.5, 2.0}));
  EXPECT_EQ(g->nodes[2].bias, 3.0);
}

TEST_F(GraphLoader, CsvFieldsBecomeNumbersOnlyWhereTheKeyTakesOne) {
  // "123" as a name stays text; in `window`, `alpha`, `weights` and `emit`
  // the fields are read as an integer, floats and a boolean.
  write("devices.csv", "id, n ,a,w,on\n123, +5 ,0.25,-1e-3,true\n");
  auto g = parse_graph_file(write("main.toml", R"(
[[template]]
name = "t"
params = ["id", "n", "a", "w", "on"]
[[template.sensor]]
name = "${id}"
[[template.feature]]
name = "${id}.mean"
fn = "rolling_mean"
needs = ["${id}"]
window = "${n}"
emit = "${on}"
[[template.feature]]
name = "${id}.ewma"
fn = "ewma"
needs = ["${id}"]
alpha = "${a}"
[[template.model]]
name = "${id}.m"
kind = "linear"
needs = ["${id}.mean", "${id}.ewma"]
weights = ["${w}", 2]

[[instances]]
template = "t"
csv = "devices.csv"
)"));
  ASSERT_TRUE(g) << describe(g.error());
  ASSERT_EQ(g->nodes.size(), 4u);
  EXPECT_EQ(g->nodes[0].name, "123");
  EXPECT_EQ(g->nodes[1].window, 5);
  EXPECT_TRUE(g->nodes[1].emit);
  EXPECT_EQ(g->nodes[2].alpha, 0.25);
  EXPECT_EQ(g->nodes[3].weights, (std::vector<double>{-1e-3, 2.0}));
}

TEST_F(GraphLoader, PutsValuesIntoEveryStringAsText) {
  // Names, needs, trigger, unit, code and path: every string value; numbers
  // go in as TOML writes them.
  write("lua/k7.lua", "return function(x) return x * 7 end");
  auto g = parse_graph_file(write("main.toml", R"(
[[template]]
name = "t"
params = ["id", "k", "scale", "flag"]
[[template.sensor]]
name = "${id}.in"
unit = "x${scale}"
[[template.feature]]
name = "${id}.code"
fn = "lua"
needs = ["${id}.in"]
trigger = ["${id}.in"]
code = "return function(x) return x * ${scale} end -- ${flag}"
[[template.feature]]
name = "${id}.file"
fn = "lua"
needs = ["${id}.in"]
path = "lua/k${k}.lua"

[[instance]]
template = "t"
id = "d-${}"
k = 7
scale = 2.0
flag = false
)"));
  // "${}" in a value is just text: references are found in the template.
  ASSERT_TRUE(g) << describe(g.error());
  ASSERT_EQ(g->nodes.size(), 3u);
  EXPECT_EQ(g->nodes[0].name, "d-${}.in");
  EXPECT_EQ(g->nodes[0].unit, "x2.0");
  EXPECT_EQ(g->nodes[1].trigger, (std::vector<std::string>{"d-${}.in"}));
  EXPECT_EQ(g->nodes[1].code, "return function(x) return x * 2.0 end -- false");
  EXPECT_EQ(g->nodes[2].path, (dir_ / "lua/k7.lua").string());
  EXPECT_EQ(g->nodes[2].code, "return function(x) return x * 7 end");
}

TEST_F(GraphLoader, NodesInAndOutsideTemplatesNeedEachOther) {
  auto g = parse_graph_file(write("main.toml", R"(
[[sensor]]
name = "ambient"
[[template]]
name = "room"
params = ["id"]
[[template.sensor]]
name = "${id}.temp"
[[template.model]]
name = "${id}.delta"
kind = "linear"
needs = ["${id}.temp", "ambient"]
weights = [1.0, -1.0]
[[model]]
name = "worst"
kind = "linear"
needs = ["r1.delta", "r2.delta"]
weights = [1.0, 1.0]
[[instance]]
template = "room"
id = "r1"
[[instance]]
template = "room"
id = "r2"
)"));
  ASSERT_TRUE(g) << describe(g.error());
  ASSERT_FALSE(validate_graph(*g, [](const node_spec&) {
    return caf::error{};
  }));
  EXPECT_EQ(names_of(*g),
            (std::vector<std::string>{"ambient", "r1.temp", "r1.delta",
                                      "r2.temp", "r2.delta", "worst"}));
}

TEST_F(GraphLoader, UsesATemplateFromAnyFileOfTheGraph) {
  // The template is in an include read after the instance; a node's path
  // is relative to the template's file.
  write("types/pump.toml", R"(
[[template]]
name = "pump"
params = ["id"]
[[template.sensor]]
name = "${id}.temp"
[[template.feature]]
name = "${id}.lua"
fn = "lua"
needs = ["${id}.temp"]
path = "pump.lua"
)");
  write("types/pump.lua", "return function(x) return x end");
  write("devices/list.csv", "id\np1\np2\n");
  write("devices/site.toml", R"(
[[instances]]
template = "pump"
csv = "list.csv"
)");
  auto g = parse_graph_file(write(
    "main.toml", "include = [\"devices/site.toml\", \"types/pump.toml\"]\n"));
  ASSERT_TRUE(g) << describe(g.error());
  ASSERT_EQ(g->nodes.size(), 4u);
  EXPECT_EQ(g->nodes[3].name, "p2.lua");
  EXPECT_EQ(g->nodes[3].code, "return function(x) return x end");
  auto site = (dir_ / "devices/site.toml").string();
  EXPECT_EQ(g->nodes[3].file,
            site + ": template 'pump' (" + (dir_ / "types/pump.toml").string()
              + "), " + (dir_ / "devices/list.csv").string() + " line 3");
}

TEST_F(GraphLoader, ReadsTheDeviceListThroughTheGraphsReader) {
  // What shoalctl does: every file through one reader, so the members get
  // the expanded nodes and never a path to open.
  std::vector<std::string> asked;
  graph_file_reader read
    = [&](const std::string& path) -> caf::expected<std::string> {
    asked.push_back(path);
    if (path == "/mem/pumps.csv")
      return std::string{"id,limit\nq1,1\n"};
    return make_error(errc::io_error, "no such file");
  };
  auto g = parse_graph_text(pump_template
                              + "[[instances]]\ntemplate = \"pump\"\n"
                                "csv = \"pumps.csv\"\n",
                            "/mem/main.toml", read);
  ASSERT_TRUE(g) << describe(g.error());
  EXPECT_EQ(names_of(*g),
            (std::vector<std::string>{"q1.temp", "q1.temp.mean", "q1.over"}));
  EXPECT_EQ(asked, (std::vector<std::string>{"/mem/pumps.csv"}));
}

TEST_F(GraphLoader, ATemplateWithoutInstancesAddsNothing) {
  auto g = parse_graph_file(write("main.toml", pump_template));
  ASSERT_TRUE(g) << describe(g.error());
  EXPECT_TRUE(g->nodes.empty());
}
