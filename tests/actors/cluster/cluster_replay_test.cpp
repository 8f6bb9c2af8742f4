// A graph applied to a cluster of real members and replayed through it with
// shoalctl gives exactly the single-node replay's outputs; the graph runs on
// after a replay, so a second file continues from the first; a bad apply
// changes nothing.

#include <algorithm>
#include <gtest/gtest.h>
#include <sstream>
#include <thread>
#include <vector>

#include "runtime/graph/graph_load.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/io_clients.hpp"
#include "tests/support/member_process.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/process.hpp"
#include "tests/support/random_graph.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal::test_support;

namespace {

/// Three sensors, features, and models that join across sensors, with
/// triggers and a Lua model with state: nodes of one join end up on
/// different members.
const char* graph_text = R"(
[[sensor]]
name = "p1.temp"
[[sensor]]
name = "p2.temp"
[[sensor]]
name = "p3.flow"
[[feature]]
name = "p1.mean"
fn = "rolling_mean"
needs = ["p1.temp"]
window = 4
[[feature]]
name = "p2.ewma"
fn = "ewma"
needs = ["p2.temp"]
alpha = 0.3
emit = true
[[feature]]
name = "p3.rate"
fn = "rate"
needs = ["p3.flow"]
[[model]]
name = "m.join"
kind = "linear"
needs = ["p1.mean", "p2.ewma", "p3.rate"]
weights = [0.5, -0.25, 2.0]
bias = 1.0
trigger = ["p1.mean"]
[[model]]
name = "m.lua"
kind = "lua"
needs = ["m.join", "p3.flow"]
code = "return function(a, b) state.n = (state.n or 0) + 1 if state.n % 5 == 0 then return nil end return a * 0.1 + b + state.n end"
[[model]]
name = "m.all"
kind = "linear"
needs = ["m.lua", "p2.ewma"]
weights = [1.0, 1.0]
link = "logistic"
)";

} // namespace

TEST(ClusterReplay, ThreeMembersGiveExactlyTheSingleNodeOutputs) {
  auto graph = write_temp_file("cluster_graph.toml", graph_text);
  auto g = shoal::load_graph(graph);
  ASSERT_TRUE(g);
  auto input = write_temp_file("cluster_input.csv", random_input(*g, 7, 3000));
  auto single_out = write_temp_file("cluster_single.csv", "");
  auto single = run_command(binary("shoal-node") + " --graph " + graph
                            + " --replay " + input + " --out " + single_out);
  ASSERT_EQ(single.exit_code, 0) << single.output;

  std::vector<int> ports{free_loopback_port(), free_loopback_port(),
                         free_loopback_port()};
  member_process n1{write_member_config("n1", ports[0], {ports[0]})};
  member_process n2{write_member_config("n2", ports[1], {ports[0]})};
  member_process n3{write_member_config("n3", ports[2], {ports[0]})};
  await_member_count(ports[0], 3);
  await_member_count(ports[2], 3);
  // A bad graph changes nothing anywhere.
  auto bad = write_temp_file("cluster_bad.toml",
                             "[[sensor]]\nname = \"s\"\n[[feature]]\n"
                             "name = \"f\"\nfn = \"rolling_mean\"\n"
                             "needs = [\"nope\"]\nwindow = 2\n");
  auto res = shoalctl(ports[1], "apply " + bad);
  EXPECT_EQ(res.exit_code, 1);
  EXPECT_NE(res.output.find("node 'f'"), std::string::npos) << res.output;
  EXPECT_EQ(shoalctl(ports[0], "graph").output, "");
  // Apply through one member, check placement through another.
  res = shoalctl(ports[1], "apply " + graph);
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log() << n2.log();
  EXPECT_NE(res.output.find("applied 9 nodes on 3 members"), std::string::npos)
    << res.output;
  auto placed = shoalctl(ports[2], "graph");
  ASSERT_EQ(placed.exit_code, 0) << placed.output;
  auto lines = sorted_lines(placed.output);
  ASSERT_EQ(lines.size(), 9u) << placed.output;
  size_t used = 0;
  for (auto name : {" n1", " n2", " n3"})
    used += placed.output.find(name) != std::string::npos ? 1 : 0;
  EXPECT_GE(used, 2u) << placed.output;
  // The same placement as Graphviz: a cluster per member, an edge per need.
  auto dot = shoalctl(ports[0], "graph --dot");
  ASSERT_EQ(dot.exit_code, 0) << dot.output;
  EXPECT_EQ(dot.output.rfind("digraph shoal {", 0), 0u) << dot.output;
  EXPECT_NE(dot.output.find("subgraph \"cluster_n1\" {"), std::string::npos)
    << dot.output;
  EXPECT_NE(dot.output.find("\"p1.temp\" [shape=ellipse];"), std::string::npos)
    << dot.output;
  EXPECT_NE(dot.output.find("\"p1.mean\" -> \"m.join\";"), std::string::npos)
    << dot.output;
  EXPECT_NE(dot.output.find("\"m.lua\" -> \"m.all\";"), std::string::npos)
    << dot.output;
  // Replay through the third member.
  auto cluster_out = write_temp_file("cluster_out.csv", "");
  res = shoalctl(ports[2], "replay " + input + " --out " + cluster_out);
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log() << n2.log() << n3.log();
  auto want = sorted_lines(read_file(single_out));
  auto got = sorted_lines(read_file(cluster_out));
  EXPECT_GT(want.size(), 100u);
  EXPECT_EQ(got.size(), want.size());
  EXPECT_TRUE(got == want);
  // The graph runs on: a second file, later in time, continues from the
  // state the first left (windows, Lua state, last values), exactly as a
  // single-node replay of both files one after the other.
  auto later = random_input(*g, 8, 2000, 100000);
  auto input2 = write_temp_file("cluster_input2.csv", later);
  auto both = write_temp_file(
    "cluster_both.csv", read_file(input) + later.substr(later.find('\n') + 1));
  auto both_out = write_temp_file("cluster_both_out.csv", "");
  single = run_command(binary("shoal-node") + " --graph " + graph + " --replay "
                       + both + " --out " + both_out);
  ASSERT_EQ(single.exit_code, 0) << single.output;
  std::vector<std::string> want2;
  for (auto& line : sorted_lines(read_file(both_out))) {
    auto comma = line.find(',');
    if (comma != std::string::npos && line != "node,ts,value"
        && std::stoll(line.substr(comma + 1)) >= 90000)
      want2.push_back(line);
  }
  auto cluster_out2 = write_temp_file("cluster_out2.csv", "");
  res = shoalctl(ports[0], "replay " + input2 + " --out " + cluster_out2);
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log() << n2.log() << n3.log();
  auto got2 = sorted_lines(read_file(cluster_out2));
  got2.erase(std::remove(got2.begin(), got2.end(), "node,ts,value"),
             got2.end());
  EXPECT_GT(want2.size(), 100u);
  EXPECT_EQ(got2.size(), want2.size());
  EXPECT_TRUE(got2 == want2);
  EXPECT_TRUE(n1.running() && n2.running() && n3.running());
}

TEST(ClusterReplay, AnInputOfManyPiecesOnALargeGraphWaitsForItsSource) {
  // 6,000 nodes: wiring the replay's sink to every emitting node takes a
  // while, and the next pieces of a 2.6 MB input come meanwhile; they wait
  // (are not taken) until the replay's source started, instead of failing.
  auto graph = write_temp_file("large_replay_graph.toml", "");
  auto input = write_temp_file("large_replay_input.csv", "");
  auto plant
    = run_command(binary("shoal-bench") + " plant --graph " + graph
                  + " --input " + input + " --sensors 600 --samples 60000");
  ASSERT_EQ(plant.exit_code, 0) << plant.output;
  auto want_out = write_temp_file("large_replay_want.csv", "");
  auto single = run_command(binary("shoal-node") + " --graph " + graph
                            + " --replay " + input + " --out " + want_out);
  ASSERT_EQ(single.exit_code, 0) << single.output;
  std::vector<int> ports{free_loopback_port(), free_loopback_port()};
  member_process n1{write_member_config("n1", ports[0], {ports[0]})};
  member_process n2{write_member_config("n2", ports[1], {ports[0]})};
  await_member_count(ports[0], 2);
  auto res = shoalctl(ports[0], "apply " + graph);
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log() << n2.log();
  auto out = write_temp_file("large_replay_out.csv", "");
  // Pieces of 256 KiB: ten of them.
  res = shoalctl(ports[0], "--timeout 60 replay " + input + " --out " + out
                             + " --piece-size 262144");
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log() << n2.log();
  EXPECT_EQ(sorted_lines(read_file(out)), sorted_lines(read_file(want_out)));
}

TEST(ClusterReplay, SaysWhatTheInputCameToAndWhyNoOutputCame) {
  auto graph = write_temp_file("why_graph.toml", graph_text);
  auto input = write_temp_file(
    "why_input.csv", "sensor,ts,value\np1.temp,1,1.0\np2.temp,2,2.0\nbad row\n"
                     "nobody,3,3.0\np2.temp,4,4.0\n");
  std::vector<int> ports{free_loopback_port()};
  member_process n1{write_member_config("n1", ports[0], {ports[0]})};
  await_member_count(ports[0], 1);
  auto res = shoalctl(ports[0], "apply " + graph);
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log();
  auto out = write_temp_file("why_out.csv", "");
  res = shoalctl(ports[0], "replay " + input + " --out " + out);
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log();
  EXPECT_NE(res.output.find("input: 3 samples sent to sensors, 2 rejected "
                            "(malformed 1, unknown_sensor 1)"),
            std::string::npos)
    << res.output;
  EXPECT_NE(res.output.find("malformed rows at lines: 4"), std::string::npos)
    << res.output;
  EXPECT_EQ(res.output.find("no outputs"), std::string::npos) << res.output;
  // The same input again: the sensors saw those times already.
  res = shoalctl(ports[0], "replay " + input + " --out " + out);
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log();
  EXPECT_NE(res.output.find("0 outputs written"), std::string::npos)
    << res.output;
  EXPECT_NE(res.output.find("no outputs: no emitting node fired"),
            std::string::npos)
    << res.output;
  // Nothing the graph knows.
  auto unknown
    = write_temp_file("why_unknown.csv", "sensor,ts,value\nzz,9,1\n");
  res = shoalctl(ports[0], "replay " + unknown + " --out " + out);
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log();
  EXPECT_NE(res.output.find("no outputs: every sample of the input was "
                            "rejected"),
            std::string::npos)
    << res.output;
}

TEST(ClusterReplay, NoMembersBacklogGoesNegativeAndAllComeBackToZero) {
  // Batches between members were counted sent at one and taken at the
  // other: one member's backlog grew, the other's went negative.
  auto graph = write_temp_file("backlog_graph.toml", graph_text);
  auto g = shoal::load_graph(graph);
  ASSERT_TRUE(g);
  auto input = write_temp_file("backlog_input.csv", random_input(*g, 5, 3000));
  std::vector<int> ports{free_loopback_port(), free_loopback_port()};
  std::vector<uint16_t> http{free_loopback_port(), free_loopback_port()};
  member_process n1{write_member_config(
    "n1", ports[0], {ports[0]},
    "http = \"127.0.0.1:" + std::to_string(http[0]) + "\"\n")};
  member_process n2{write_member_config(
    "n2", ports[1], {ports[0]},
    "http = \"127.0.0.1:" + std::to_string(http[1]) + "\"\n")};
  await_member_count(ports[0], 2);
  auto res = shoalctl(ports[0], "apply " + graph);
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log() << n2.log();
  auto placed = shoalctl(ports[0], "graph").output;
  ASSERT_NE(placed.find(" n1\n"), std::string::npos) << placed;
  ASSERT_NE(placed.find(" n2\n"), std::string::npos) << placed;
  auto out = write_temp_file("backlog_out.csv", "");
  res = shoalctl(ports[0], "replay " + input + " --out " + out);
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log() << n2.log();
  // Every member's backlog as each member's /metrics shows it.
  auto backlogs = [&] {
    std::vector<long long> figures;
    for (auto port : http) {
      std::istringstream lines{
        http_request(port, "GET", "/metrics?scope=cluster").body};
      std::string line;
      while (std::getline(lines, line))
        if (line.rfind("shoal_mailbox_backlog{", 0) == 0)
          figures.push_back(std::stoll(line.substr(line.rfind(' ') + 1)));
    }
    return figures;
  };
  std::vector<long long> seen;
  bool settled = wait_until(
    [&] {
      seen = backlogs();
      for (auto b : seen)
        EXPECT_GE(b, 0);
      return seen.size() == 4
             && std::all_of(seen.begin(), seen.end(), [](long long b) {
                  return b == 0;
                });
    },
    std::chrono::seconds(20));
  std::string text;
  for (auto b : seen)
    text += std::to_string(b) + " ";
  EXPECT_TRUE(settled) << text;
}
