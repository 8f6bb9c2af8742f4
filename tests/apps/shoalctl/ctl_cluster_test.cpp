// shoalctl against a real member: apply --dry-run and diff plan at the
// leader and change nothing, -o json|wide|dot, the sensor rows of status,
// and replay from stdin to stdout.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/member_process.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_files.hpp"

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
[[feature]]
name = "a.max"
fn = "rolling_max"
needs = ["a"]
window = 2
)";

/// The first graph with a.mean changed, a.max left out and a.ewma added.
const char* changed_text = R"(
[[sensor]]
name = "a"
[[feature]]
name = "a.mean"
fn = "rolling_mean"
needs = ["a"]
window = 3
emit = true
[[feature]]
name = "a.ewma"
fn = "ewma"
needs = ["a"]
alpha = 0.5
)";

} // namespace

TEST(ShoalctlCluster, DiffPlansAtTheLeaderAndChangesNothing) {
  int port = free_loopback_port();
  member_process n1{write_member_config("n1", port, {port})};
  await_member_count(port, 1);
  auto graph = write_temp_file("ctl_diff_graph.toml", graph_text);
  auto changed = write_temp_file("ctl_diff_changed.toml", changed_text);
  // Before any graph: everything would be added.
  auto res = shoalctl(port, "diff " + graph);
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log();
  EXPECT_NE(res.output.find("add a.max\n"), std::string::npos) << res.output;
  EXPECT_NE(res.output.find("dry run: would add 3, replace 0, unchanged 0"),
            std::string::npos)
    << res.output;
  EXPECT_EQ(shoalctl(port, "graph").output, "");
  ASSERT_EQ(shoalctl(port, "apply " + graph).exit_code, 0);
  auto placed = shoalctl(port, "graph").output;
  res = shoalctl(port, "apply --dry-run " + changed);
  ASSERT_EQ(res.exit_code, 0) << res.output;
  for (auto line :
       {"add a.ewma\n", "replace a.mean\n", "unchanged a\n", "keep a.max\n"})
    EXPECT_NE(res.output.find(line), std::string::npos) << line << res.output;
  EXPECT_NE(res.output.find("would add 1, replace 1, unchanged 1; 1 running"),
            std::string::npos)
    << res.output;
  EXPECT_EQ(shoalctl(port, "graph").output, placed);
  auto json = shoalctl(port, "diff " + changed + " -o json");
  ASSERT_EQ(json.exit_code, 0) << json.output;
  auto doc = nlohmann::json::parse(json.output);
  EXPECT_EQ(doc["add"], nlohmann::json::array({"a.ewma"})) << json.output;
  EXPECT_EQ(doc["keep"], nlohmann::json::array({"a.max"})) << json.output;
  // What the apply itself would refuse, the dry run refuses the same way.
  auto bad = write_temp_file(
    "ctl_diff_bad.toml", "[[feature]]\nname = \"f\"\nfn = \"rolling_mean\"\n"
                         "needs = [\"nope\"]\nwindow = 2\n");
  res = shoalctl(port, "diff " + bad);
  EXPECT_EQ(res.exit_code, 1) << res.output;
  EXPECT_NE(res.output.find("node 'f'"), std::string::npos) << res.output;
}

TEST(ShoalctlCluster, PrintsJsonWideDotAndSensorSamples) {
  int port = free_loopback_port();
  member_process n1{write_member_config("n1", port, {port})};
  await_member_count(port, 1);
  auto graph = write_temp_file("ctl_out_graph.toml", graph_text);
  ASSERT_EQ(shoalctl(port, "apply " + graph + " -o json").exit_code, 0);
  auto input = write_temp_file("ctl_out_in.csv",
                               "sensor,ts,value\na,1,1\na,2,3\nzz,3,1\n");
  auto err = write_temp_file("ctl_out.err", "");
  auto replay = run_command("(" + binary("shoalctl") + " --connect 127.0.0.1:"
                            + std::to_string(port) + " replay - --out - < "
                            + input + " 2> " + err + ")");
  ASSERT_EQ(replay.exit_code, 0) << replay.output << read_file(err);
  EXPECT_EQ(sorted_lines(replay.output),
            sorted_lines("node,ts,value\na.mean,1,1\na.mean,2,2\n"))
    << replay.output;
  auto status = shoalctl(port, "status");
  ASSERT_EQ(status.exit_code, 0) << status.output;
  EXPECT_NE(status.output.find("samples: 2 accepted, "), std::string::npos)
    << status.output;
  auto wide = shoalctl(port, "status -o wide");
  ASSERT_EQ(wide.exit_code, 0) << wide.output;
  EXPECT_NE(wide.output.find("accepted     rejected"), std::string::npos)
    << wide.output;
  auto json = shoalctl(port, "-o json status");
  ASSERT_EQ(json.exit_code, 0) << json.output;
  EXPECT_EQ(nlohmann::json::parse(json.output)["nodes"].size(), 3u);
  auto dot = shoalctl(port, "graph -o dot");
  EXPECT_EQ(dot.output.rfind("digraph shoal {", 0), 0u) << dot.output;
  EXPECT_NE(dot.output.find("subgraph \"cluster_n1\" {"), std::string::npos)
    << dot.output;
  auto listed = shoalctl(port, "graph -o json");
  EXPECT_EQ(nlohmann::json::parse(listed.output)["graph"].size(), 3u)
    << listed.output;
}
