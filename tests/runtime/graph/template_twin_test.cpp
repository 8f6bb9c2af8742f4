// A templated graph behaves exactly as the same nodes written out by hand
// (SPEC section 11): equal specs after loading, and equal outputs when both
// are replayed over the same file by shoal-node.

#include <gtest/gtest.h>
#include <string>

#include "runtime/core/errc.hpp"
#include "runtime/graph/graph_load.hpp"
#include "tests/support/graph_loader_fixture.hpp"
#include "tests/support/process.hpp"
#include "tests/support/random_graph.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

/// Two sensors, built-in and Lua features (inline with a parameter in the
/// code, and from a file chosen per device), a linear model with its bias
/// from the device; plant-level nodes need template nodes and the other way
/// round.
const char* templated = R"(
[[sensor]]
name = "ambient"

[[template]]
name = "pump"
params = ["id", "k", "bias", "lua"]
[[template.sensor]]
name = "${id}.temp"
unit = "degC"
[[template.sensor]]
name = "${id}.amps"
[[template.feature]]
name = "${id}.temp.mean"
fn = "rolling_mean"
needs = ["${id}.temp"]
window = 3
[[template.feature]]
name = "${id}.power"
fn = "lua"
needs = ["${id}.amps", "ambient"]
trigger = ["${id}.amps"]
code = "return function(a, t) return a * ${k} + t end"
[[template.feature]]
name = "${id}.shaped"
fn = "lua"
needs = ["${id}.temp.mean"]
path = "lua/${lua}.lua"
[[template.model]]
name = "${id}.score"
kind = "linear"
needs = ["${id}.temp.mean", "${id}.power", "${id}.shaped"]
weights = [0.5, -0.25, 1.0]
bias = "${bias}"
link = "logistic"

[[instance]]
template = "pump"
id = "p1"
k = 2
bias = -1.5
lua = "square"

[[instances]]
template = "pump"
csv = "pumps.csv"

[[model]]
name = "plant.worst"
kind = "linear"
needs = ["p1.score", "p2.score", "p3.score"]
weights = [1.0, 1.0, 1.0]
)";

const char* pumps_csv = "id,k,bias,lua\np2,3.5,0.25,half\np3,1,-2,square\n";

/// The nodes of one pump written out.
std::string pump_written(const std::string& id, const std::string& k,
                         const std::string& bias, const std::string& lua) {
  return "[[sensor]]\nname = \"" + id
         + ".temp\"\nunit = \"degC\"\n"
           "[[sensor]]\nname = \""
         + id
         + ".amps\"\n"
           "[[feature]]\nname = \""
         + id
         + ".temp.mean\"\nfn = \"rolling_mean\"\n"
           "needs = [\""
         + id
         + ".temp\"]\nwindow = 3\n"
           "[[feature]]\nname = \""
         + id
         + ".power\"\nfn = \"lua\"\n"
           "needs = [\""
         + id + ".amps\", \"ambient\"]\ntrigger = [\"" + id
         + ".amps\"]\ncode = \"return function(a, t) return a * " + k
         + " + t end\"\n"
           "[[feature]]\nname = \""
         + id
         + ".shaped\"\nfn = \"lua\"\n"
           "needs = [\""
         + id + ".temp.mean\"]\npath = \"lua/" + lua
         + ".lua\"\n"
           "[[model]]\nname = \""
         + id
         + ".score\"\nkind = \"linear\"\n"
           "needs = [\""
         + id + ".temp.mean\", \"" + id + ".power\", \"" + id
         + ".shaped\"]\nweights = [0.5, -0.25, 1.0]\nbias = " + bias
         + "\nlink = \"logistic\"\n";
}

std::string written() {
  return "[[sensor]]\nname = \"ambient\"\n"
         + pump_written("p1", "2", "-1.5", "square")
         + pump_written("p2", "3.5", "0.25", "half")
         + pump_written("p3", "1", "-2", "square")
         + "[[model]]\nname = \"plant.worst\"\nkind = \"linear\"\n"
           "needs = [\"p1.score\", \"p2.score\", \"p3.score\"]\n"
           "weights = [1.0, 1.0, 1.0]\n";
}

class TemplateTwin : public GraphLoader {
protected:
  void SetUp() override {
    GraphLoader::SetUp();
    write("lua/square.lua", "return function(x) return x * x end");
    write("lua/half.lua", "return function(x) return x / 2 end");
    write("pumps.csv", pumps_csv);
    tmpl_ = write("templated.toml", templated);
    twin_ = write("written.toml", written());
  }

  std::string tmpl_;
  std::string twin_;
};

} // namespace

TEST_F(TemplateTwin, LoadsToTheSameSpecsAsTheGraphWrittenOut) {
  auto a = load_graph(tmpl_);
  ASSERT_TRUE(a) << describe(a.error());
  auto b = load_graph(twin_);
  ASSERT_TRUE(b) << describe(b.error());
  ASSERT_EQ(a->nodes.size(), 20u);
  ASSERT_EQ(a->nodes.size(), b->nodes.size());
  for (size_t i = 0; i < a->nodes.size(); ++i) {
    EXPECT_EQ(a->nodes[i].name, b->nodes[i].name) << i;
    EXPECT_TRUE(a->nodes[i] == b->nodes[i]) << a->nodes[i].name;
  }
}

TEST_F(TemplateTwin, ReplaysToTheSameOutputs) {
  auto g = load_graph(twin_);
  ASSERT_TRUE(g) << describe(g.error());
  auto input = write("in.csv", random_input(*g, 5, 4000));
  auto replay = [&](const std::string& graph, const std::string& out) {
    auto res = run_command(binary("shoal-node") + " --threads 2 --graph "
                           + graph + " --replay " + input + " --out " + out);
    EXPECT_EQ(res.exit_code, 0) << res.output;
    return read_file(out);
  };
  auto from_template = replay(tmpl_, (dir_ / "a.csv").string());
  auto from_twin = replay(twin_, (dir_ / "b.csv").string());
  EXPECT_GT(sorted_lines(from_twin).size(), 1000u);
  EXPECT_EQ(sorted_lines(from_template), sorted_lines(from_twin));
}
