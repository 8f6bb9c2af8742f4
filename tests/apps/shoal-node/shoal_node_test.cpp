// shoal-node end to end: the real binary, real files.

#include <algorithm>
#include <filesystem>
#include <gtest/gtest.h>
#include <sstream>

#include "runtime/core/errc.hpp"
#include "runtime/graph/graph_load.hpp"
#include "runtime/io/csv.hpp"
#include "runtime/semantics/reference_evaluator.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/process.hpp"
#include "tests/support/random_graph.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

const char* graph_text = R"(
[[sensor]]
name = "a"
[[sensor]]
name = "b"
[[feature]]
name = "a.mean"
fn = "rolling_mean"
needs = ["a"]
window = 2
emit = true
[[model]]
name = "m"
kind = "linear"
needs = ["a.mean", "b"]
weights = [1.0, 10.0]
)";

const char* input_text = "sensor,ts,value\n"
                         "a,1,1\n"
                         "b,2,5\n"
                         "a,3,3\n"
                         "bad row\n"
                         "a,3,4\n"
                         "x,4,1\n"
                         "b,1,2\n"
                         "a,5,nan\n"
                         "a,6,6\n";

std::vector<output_row> parse_output(const std::string& text) {
  std::vector<output_row> rows;
  std::istringstream in{text};
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "node,ts,value");
  while (std::getline(in, line)) {
    auto c1 = line.find(',');
    auto c2 = line.rfind(',');
    rows.push_back(output_row{line.substr(0, c1),
                              std::stoll(line.substr(c1 + 1, c2 - c1 - 1)),
                              std::stod(line.substr(c2 + 1))});
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::string node_cmd(const std::string& args) {
  return binary("shoal-node") + " " + args;
}

} // namespace

TEST(ShoalNodeReplay, WritesOutputsAndSummary) {
  auto graph = write_temp_file("e2e_graph.toml", graph_text);
  auto input = write_temp_file("e2e_in.csv", input_text);
  auto out = write_temp_file("e2e_out.csv", "");
  auto res = run_command(
    node_cmd("--graph " + graph + " --replay " + input + " --out " + out));
  ASSERT_EQ(res.exit_code, 0) << res.output;
  auto rows = parse_output(read_file(out));
  std::vector<output_row> want{
    {"a.mean", 1, 1.0}, {"a.mean", 3, 2.0}, {"a.mean", 6, 4.5},
    {"m", 2, 51.0},     {"m", 3, 52.0},     {"m", 6, 54.5},
  };
  EXPECT_EQ(rows, want);
  EXPECT_NE(res.output.find("4 accepted, 5 rejected"), std::string::npos)
    << res.output;
  EXPECT_NE(res.output.find("malformed 1, unknown_sensor 1, non_finite 1, "
                            "late 1, out_of_order 1"),
            std::string::npos)
    << res.output;
  EXPECT_NE(res.output.find("malformed rows at lines: 5"), std::string::npos)
    << res.output;
  EXPECT_NE(res.output.find("firings:  6"), std::string::npos) << res.output;
}

TEST(ShoalNodeReplay, MatchesReferenceOnDemoGraph) {
  // The demo graph (Lua features and models included) over faulty input.
  auto graph = std::string{SHOAL_SOURCE_DIR} + "/config/demo/plant.toml";
  auto g = load_graph(graph);
  ASSERT_TRUE(g) << describe(g.error());
  auto input = write_temp_file("e2e_demo_in.csv", random_input(*g, 7, 20000));
  auto out = write_temp_file("e2e_demo_out.csv", "");
  auto res = run_command(node_cmd("--threads 2 --graph " + graph + " --replay "
                                  + input + " --out " + out));
  ASSERT_EQ(res.exit_code, 0) << res.output;
  auto expected = reference_replay(*g, input, 0);
  ASSERT_TRUE(expected);
  auto want = expected->outputs;
  std::sort(want.begin(), want.end());
  auto got = parse_output(read_file(out));
  EXPECT_EQ(got.size(), want.size());
  EXPECT_TRUE(got == want);
}

TEST(ShoalNodeReplay, AnyNumberOfCellGroupsGivesTheReferenceOutputs) {
  // One actor per sensor's cell (0), all in one, a few, and more groups
  // than the demo has sensors.
  auto graph = std::string{SHOAL_SOURCE_DIR} + "/config/demo/plant.toml";
  auto g = load_graph(graph);
  ASSERT_TRUE(g) << describe(g.error());
  auto input = write_temp_file("e2e_groups_in.csv", random_input(*g, 11, 5000));
  auto expected = reference_replay(*g, input, 0);
  ASSERT_TRUE(expected);
  auto want = expected->outputs;
  std::sort(want.begin(), want.end());
  ASSERT_FALSE(want.empty());
  for (const char* groups : {"0", "1", "3", "500"}) {
    auto out = write_temp_file("e2e_groups_out.csv", "");
    auto res = run_command(node_cmd(std::string{"--threads 2 --cell-groups "}
                                    + groups + " --graph " + graph
                                    + " --replay " + input + " --out " + out));
    ASSERT_EQ(res.exit_code, 0) << groups << ": " << res.output;
    EXPECT_TRUE(parse_output(read_file(out)) == want) << groups;
  }
  for (const char* bad : {"-1", "many", "2000000"}) {
    auto res = run_command(node_cmd(std::string{"--cell-groups "} + bad
                                    + " --graph " + graph + " --replay " + input
                                    + " --out /tmp/never.csv"));
    EXPECT_EQ(res.exit_code, 2) << bad;
    EXPECT_NE(res.output.find(std::string{"--cell-groups needs an integer "
                                          "from 0 to 1048576, got '"}
                              + bad + "'"),
              std::string::npos)
      << res.output;
  }
}

TEST(ShoalNodeReplay, SentinelTimestampsAreMalformedAndLaterSamplesFlow) {
  // INT64_MAX and INT64_MIN are the watermark sentinels: such rows are
  // counted as malformed (with their lines), move no watermark, and the
  // sensor's later samples still flow, as in the reference evaluator.
  auto graph = write_temp_file("e2e_sentinel_graph.toml", graph_text);
  auto input
    = write_temp_file("e2e_sentinel_in.csv", "sensor,ts,value\n"
                                             "a,1,1\n"
                                             "b,2,5\n"
                                             "a,9223372036854775807,7\n"
                                             "a,3,3\n"
                                             "a,-9223372036854775808,2\n"
                                             "b,4,6\n"
                                             "a,6,6\n");
  auto out = write_temp_file("e2e_sentinel_out.csv", "");
  auto res = run_command(
    node_cmd("--graph " + graph + " --replay " + input + " --out " + out));
  ASSERT_EQ(res.exit_code, 0) << res.output;
  auto rows = parse_output(read_file(out));
  std::vector<output_row> want{
    {"a.mean", 1, 1.0}, {"a.mean", 3, 2.0}, {"a.mean", 6, 4.5}, {"m", 2, 51.0},
    {"m", 3, 52.0},     {"m", 4, 62.0},     {"m", 6, 64.5},
  };
  EXPECT_EQ(rows, want);
  EXPECT_NE(res.output.find("5 accepted, 2 rejected"), std::string::npos)
    << res.output;
  EXPECT_NE(res.output.find("malformed 2, unknown_sensor 0, non_finite 0, "
                            "late 0, out_of_order 0"),
            std::string::npos)
    << res.output;
  EXPECT_NE(res.output.find("malformed rows at lines: 4 6"), std::string::npos)
    << res.output;
  auto g = load_graph(graph);
  ASSERT_TRUE(g) << describe(g.error());
  auto expected = reference_replay(*g, input, 0);
  ASSERT_TRUE(expected);
  auto ref = expected->outputs;
  std::sort(ref.begin(), ref.end());
  EXPECT_EQ(ref, want);
  EXPECT_EQ(expected->ingest.accepted, 5u);
  EXPECT_EQ(expected->ingest[reject_reason::malformed], 2u);
  EXPECT_EQ(expected->ingest.rejected_total(), 2u);
  EXPECT_EQ(expected->malformed_lines, (std::vector<uint64_t>{4, 6}));
}

TEST(ShoalNodeReplay, BadGraphExitsTwoWithoutOutput) {
  auto graph = write_temp_file("e2e_cycle.toml", R"(
[[sensor]]
name = "s"
[[feature]]
name = "x"
fn = "lua"
needs = ["s", "y"]
code = "return function(a, b) return a end"
[[feature]]
name = "y"
fn = "diff"
needs = ["x"]
)");
  auto input = write_temp_file("e2e_in2.csv", input_text);
  auto out = std::filesystem::temp_directory_path() / "shoal_never.csv";
  std::filesystem::remove(out);
  auto res = run_command(node_cmd("--graph " + graph + " --replay " + input
                                  + " --out " + out.string()));
  EXPECT_EQ(res.exit_code, 2);
  EXPECT_NE(res.output.find("e2e_cycle.toml"), std::string::npos) << res.output;
  EXPECT_NE(res.output.find("cycle"), std::string::npos) << res.output;
  EXPECT_NE(res.output.find("x -> y -> x"), std::string::npos) << res.output;
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(ShoalNodeReplay, BadHeaderExitsTwoWithoutOutput) {
  auto graph = write_temp_file("e2e_graph3.toml", graph_text);
  auto input = write_temp_file("e2e_noheader.csv", "a,1,1\n");
  auto out = std::filesystem::temp_directory_path() / "shoal_never2.csv";
  std::filesystem::remove(out);
  auto res = run_command(node_cmd("--graph " + graph + " --replay " + input
                                  + " --out " + out.string()));
  EXPECT_EQ(res.exit_code, 2);
  EXPECT_NE(res.output.find("expected header"), std::string::npos)
    << res.output;
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(ShoalNodeReplay, MissingInputAndBadOptionsExitTwo) {
  auto graph = write_temp_file("e2e_graph4.toml", graph_text);
  auto res = run_command(
    node_cmd("--graph " + graph + " --replay /nonexistent.csv --out /tmp/x"));
  EXPECT_EQ(res.exit_code, 2);
  EXPECT_NE(res.output.find("/nonexistent.csv"), std::string::npos);
  res = run_command(node_cmd("--bogus 1"));
  EXPECT_EQ(res.exit_code, 2);
  EXPECT_NE(res.output.find("unknown option '--bogus'"), std::string::npos);
  res = run_command(node_cmd("--graph " + graph));
  EXPECT_EQ(res.exit_code, 2);
}

TEST(ShoalNodeReplay, OutputNamingTheInputExitsTwoAndLeavesItAlone) {
  auto graph = write_temp_file("e2e_graph5.toml", graph_text);
  auto input = write_temp_file("e2e_in_same.csv", input_text);
  auto path = std::filesystem::path{input};
  auto link = path.parent_path() / "e2e_in_same_link.csv";
  std::filesystem::remove(link);
  std::filesystem::create_symlink(path, link);
  auto other_spelling = (path.parent_path() / "." / path.filename()).string();
  for (auto& out : {input, other_spelling, link.string()}) {
    auto res = run_command(
      node_cmd("--graph " + graph + " --replay " + input + " --out " + out));
    EXPECT_EQ(res.exit_code, 2) << out << "\n" << res.output;
    EXPECT_NE(res.output.find("is the input file"), std::string::npos)
      << res.output;
    EXPECT_EQ(read_file(input), input_text) << out;
    // And the other way round: the input named through the link.
    res = run_command(
      node_cmd("--graph " + graph + " --replay " + out + " --out " + input));
    EXPECT_EQ(res.exit_code, 2) << out << "\n" << res.output;
    EXPECT_EQ(read_file(input), input_text) << out;
  }
  std::filesystem::remove(link);
}

TEST(ShoalNodeDemo, RunsForADurationAndShowsStatus) {
  auto res = run_command(node_cmd("--duration 2"));
  ASSERT_EQ(res.exit_code, 0) << res.output;
  EXPECT_NE(res.output.find("simulated plant"), std::string::npos);
  EXPECT_NE(res.output.find("[   1s] samples/s"), std::string::npos)
    << res.output;
  EXPECT_NE(res.output.find("[   2s] samples/s"), std::string::npos)
    << res.output;
}

TEST(ShoalNodeDemo, FeedsThePlantThroughARealBroker) {
  mosquitto_broker broker;
  ASSERT_TRUE(broker.running());
  auto res = run_command(node_cmd("--mqtt " + broker.url() + " --duration 3"));
  ASSERT_EQ(res.exit_code, 0) << res.output;
  EXPECT_NE(res.output.find("publishes to " + broker.url()), std::string::npos)
    << res.output;
  // By the third second samples flow through the broker into the graph.
  auto at = res.output.find("[   3s] samples/s");
  ASSERT_NE(at, std::string::npos) << res.output;
  auto rate = std::stod(res.output.substr(at + 17, 8));
  EXPECT_GT(rate, 1000.0) << res.output;
}

TEST(ShoalNodeDemo, RejectsABadBrokerUrl) {
  auto res = run_command(node_cmd("--mqtt http://nowhere --duration 1"));
  EXPECT_EQ(res.exit_code, 2) << res.output;
  EXPECT_NE(res.output.find("--mqtt"), std::string::npos) << res.output;
  res = run_command(node_cmd("--mqtt mqtt://127.0.0.1:1 --config x.toml"));
  EXPECT_EQ(res.exit_code, 2) << res.output;
}
