// The loader reads the parameters of SPEC section 12 (lo, hi, mul, add,
// band, q): numbers, absent as NaN, and never a NaN written in the file.

#include <cmath>
#include <gtest/gtest.h>
#include <string>

#include "runtime/core/errc.hpp"
#include "runtime/graph/graph_loader.hpp"
#include "tests/support/graph_loader_fixture.hpp"

using namespace shoal;
using namespace shoal::test_support;

TEST_F(GraphLoader, ReadsTheCleaningParameters) {
  auto g = parse_graph_file(write("main.toml", R"(
[[sensor]]
name = "s"

[[feature]]
name = "c"
fn = "clip"
needs = ["s"]
lo = -1
hi = 2.5

[[feature]]
name = "k"
fn = "scale"
needs = ["s"]
mul = 1.8
add = 32

[[feature]]
name = "d"
fn = "deadband"
needs = ["s"]
band = 0

[[feature]]
name = "q"
fn = "rolling_quantile"
needs = ["s"]
q = 0.5
window = 4
)"));
  ASSERT_TRUE(g) << describe(g.error());
  ASSERT_EQ(g->nodes.size(), 5u);
  EXPECT_EQ(g->nodes[1].lo, -1.0);
  EXPECT_EQ(g->nodes[1].hi, 2.5);
  EXPECT_TRUE(std::isnan(g->nodes[1].q));
  EXPECT_EQ(g->nodes[2].mul, 1.8);
  EXPECT_EQ(g->nodes[2].add, 32.0);
  EXPECT_TRUE(std::isnan(g->nodes[2].lo));
  EXPECT_EQ(g->nodes[3].band, 0.0);
  EXPECT_EQ(g->nodes[4].q, 0.5);
  EXPECT_EQ(g->nodes[4].window, 4);
}

TEST_F(GraphLoader, RejectsACleaningParameterThatIsNotANumber) {
  auto feature = [](const std::string& extra) {
    return "[[feature]]\nname = \"f\"\nfn = \"clip\"\nneeds = [\"s\"]\n" + extra
           + "\n";
  };
  auto prefix = main_file() + ": node 'f': ";
  EXPECT_EQ(parse_error_of(feature("lo = \"0\"")),
            prefix + "'lo' must be a number, not a string");
  EXPECT_EQ(parse_error_of(feature("hi = nan")),
            prefix + "'hi' must be a number, not nan");
  EXPECT_EQ(parse_error_of(feature("q = true")),
            prefix + "'q' must be a number, not a boolean");
}
