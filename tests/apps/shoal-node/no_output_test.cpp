// A replay that wrote no output says why (issue 17): every sample
// rejected (and for which reasons), no emitted node, no firing.

#include <gtest/gtest.h>

#include "apps/shoal-node/summary.hpp"
#include "runtime/graph/graph_load.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

const char* graph_text = R"(
[[sensor]]
name = "a"
[[feature]]
name = "a.mean"
fn = "rolling_mean"
needs = ["a"]
window = 2
emit = true
)";

graph_spec graph(bool emit) {
  graph_spec g;
  node_spec a;
  a.name = "a";
  g.nodes.push_back(a);
  node_spec f;
  f.name = "a.mean";
  f.kind = node_kind::feature;
  f.needs = {"a"};
  f.emit = emit;
  g.nodes.push_back(f);
  return g;
}

bool has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

} // namespace

TEST(ReplaySummary, SaysWhyEverySampleWasRejected) {
  replay_summary s;
  s.ingest[reject_reason::late] = 1000;
  auto why = why_no_outputs(graph(true), s);
  EXPECT_TRUE(has(why, "all 1000 samples were rejected: late 1000 (behind "
                       "the watermark"))
    << why;
  s.ingest[reject_reason::unknown_sensor] = 3;
  why = why_no_outputs(graph(true), s);
  EXPECT_TRUE(has(why, "unknown_sensor 3 (no sensor of the graph"));
  s.outputs = 1;
  EXPECT_EQ(why_no_outputs(graph(true), s), "");
}

TEST(ReplaySummary, SaysWhenNothingIsEmittedOrFired) {
  replay_summary s;
  EXPECT_EQ(why_no_outputs(graph(true), s), "the input has no samples");
  s.ingest.accepted = 5;
  EXPECT_TRUE(has(why_no_outputs(graph(false), s), "`emit = true`"));
  s.nodes.push_back({"a.mean", node_counts{}});
  EXPECT_TRUE(has(why_no_outputs(graph(true), s), "no feature or model fired"));
  s.nodes[0].second.firings = 2;
  s.nodes[0].second.errors = 2;
  EXPECT_EQ(why_no_outputs(graph(true), s),
            "every firing failed (errors above)");
}

TEST(ReplaySummary, ShoalNodeSaysWhyOnStderr) {
  auto g = write_temp_file("no_output_graph.toml", graph_text);
  auto in
    = write_temp_file("no_output_in.csv", "sensor,ts,value\nb,1,1\nc,2,2\n");
  auto out = write_temp_file("no_output_out.csv", "");
  auto res = run_command(binary("shoal-node") + " --graph " + g + " --replay "
                         + in + " --out " + out);
  EXPECT_EQ(res.exit_code, 0) << res.output;
  EXPECT_TRUE(has(res.output, "no outputs: all 2 samples were rejected: "
                              "unknown_sensor 2 (no sensor of the graph is "
                              "named in the input)"))
    << res.output;
}
