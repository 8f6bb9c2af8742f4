// What scripts/bench-checkpoints runs on: `shoal-bench plant`,
// `shoal-bench checkpoint-dir` and `shoalctl status --checkpoint`, and the
// script itself on a tiny cluster; scripts/bench-cluster on a tiny plant.
// Behaviour only: which figures it prints, never how fast it was.

#include <chrono>
#include <gtest/gtest.h>
#include <iterator>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <thread>

#include "runtime/core/errc.hpp"
#include "runtime/state/checkpoint_store.hpp"
#include "tests/support/member_process.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

class BenchCheckpoints : public temp_dir_test {
protected:
  std::string path(const std::string& rel) const {
    return (dir_ / rel).string();
  }
};

} // namespace

TEST_F(BenchCheckpoints, PlantWritesAGraphAndSamplesThatReplay) {
  auto res = run_command(binary("shoal-bench")
                         + " plant --sensors 6 --samples 300 --graph "
                         + path("g.toml") + " --input " + path("in.csv"));
  ASSERT_EQ(res.exit_code, 0) << res.output;
  EXPECT_NE(res.output.find("plant: 60 nodes (6 sensors) in "),
            std::string::npos)
    << res.output;
  auto replay = run_command(binary("shoal-node") + " --graph " + path("g.toml")
                            + " --replay " + path("in.csv") + " --out "
                            + path("out.csv"));
  ASSERT_EQ(replay.exit_code, 0) << replay.output;
  EXPECT_NE(replay.output.find("through 60 nodes"), std::string::npos)
    << replay.output;
  EXPECT_NE(replay.output.find("300 accepted, 0 rejected"), std::string::npos)
    << replay.output;
}

TEST_F(BenchCheckpoints, PlantBadUsageExitsTwo) {
  for (std::string args :
       {"", "--graph g.toml", "--graph g --input i --nodes 5",
        "--graph g --input i --sensors 0"}) {
    auto res = run_command(binary("shoal-bench") + " plant " + args);
    EXPECT_EQ(res.exit_code, 2) << args << "\n" << res.output;
    EXPECT_NE(res.output.find("usage: shoal-bench plant"), std::string::npos)
      << res.output;
  }
}

TEST_F(BenchCheckpoints, CheckpointDirSumsTheCommittedCheckpoint) {
  auto dir = path("store");
  {
    auto store = checkpoint_store::open(dir);
    ASSERT_TRUE(store) << describe(store.error());
    ASSERT_FALSE((*store)->write("n1", 1, {{"a", "xyz"}, {"bb", "12345"}}));
    ASSERT_FALSE((*store)->write("n2", 1, {{"c", "1"}}));
    ASSERT_FALSE((*store)->write("n1", 2, {{"a", "pq"}}));
    ASSERT_FALSE((*store)->commit(2, "meta!"));
  }
  auto res
    = run_command(binary("shoal-bench") + " checkpoint-dir " + dir + " --json");
  ASSERT_EQ(res.exit_code, 0) << res.output;
  auto j = nlohmann::json::parse(res.output, nullptr, false);
  ASSERT_TRUE(j.is_object()) << res.output;
  EXPECT_EQ(j["committed"], 2);
  EXPECT_EQ(j["meta_bytes"], 5);
  EXPECT_GT(j["disk_bytes"].get<uint64_t>(), 0u);
  ASSERT_EQ(j["owners"].size(), 2u) << res.output;
  auto& n1 = j["owners"][0];
  EXPECT_EQ(n1["owner"], "n1");
  EXPECT_EQ(n1["nodes"], 2);
  // The newest state of each node as of checkpoint 2: "pq" and "12345".
  EXPECT_EQ(n1["state_bytes"], 7);
  // "s/n1\0" + node + "\0" + 8 id bytes, and the tag byte: 16 + 17.
  EXPECT_EQ(n1["key_bytes"], 33);
  auto text = run_command(binary("shoal-bench") + " checkpoint-dir " + dir);
  ASSERT_EQ(text.exit_code, 0) << text.output;
  EXPECT_NE(text.output.find("checkpoint 2 committed"), std::string::npos)
    << text.output;
  EXPECT_NE(text.output.find("owner n2: 1 nodes"), std::string::npos)
    << text.output;
  auto bad = run_command(binary("shoal-bench") + " checkpoint-dir");
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
}

TEST(BenchCheckpointsScript, PrintsEveryFigureOnATinyCluster) {
  auto res = run_command(
    "SHOAL_BUILD='" + std::string{SHOAL_BINARY_DIR} + "' '"
    + std::string{SHOAL_SOURCE_DIR}
    + "/scripts/bench-checkpoints' --no-build --nodes 200 --samples 2000 "
      "--reps 1 --interval 200");
  ASSERT_EQ(res.exit_code, 0) << res.output;
  EXPECT_NE(res.output.find("checkpoints in a cluster: 200 nodes (20 "
                            "sensors), 3 members on loopback"),
            std::string::npos)
    << res.output;
  // Each figure's label, then a number.
  for (const char* figure :
       {"apply the graph", "round: the first \\(every node's state written\\)",
        "round: idle \\(no state changed\\)",
        "round: the last during the replay", "replay, checkpoints every 200 ms",
        "replay, checkpoints off", "throughput cost of checkpoints",
        "members' CPU per replay, checkpoints on",
        "members' CPU per replay, checkpoints off",
        "CPU cost of checkpoints \\(medians\\)",
        "CPU per round during the replay \\(medians\\)",
        "on disk while running, per node", "on disk after reopening, per node",
        "state per node, one copy", "one round, per changed node",
        "one round, metadata", "kill -9 of m3: departure logged after",
        "kill -9 of m3: nodes placed again after",
        "kill -9 of m3: outputs flow again after"}) {
    std::regex line{std::string{"\n  "} + figure + " +-?[0-9][0-9.]*"};
    EXPECT_TRUE(std::regex_search(res.output, line)) << figure << "\n"
                                                     << res.output;
  }
  EXPECT_NE(res.output.find(" from checkpoint "), std::string::npos)
    << res.output;
  // Every node resumed from the checkpoint (none cold).
  EXPECT_TRUE(std::regex_search(
    res.output, std::regex{"restored ([0-9]+) of \\1 nodes from checkpoint"}))
    << res.output;
  for (const char* args : {"--min-pause", "--min-pause -1", "--min-pause 1s"}) {
    auto bad = run_command(std::string{SHOAL_SOURCE_DIR}
                           + "/scripts/bench-checkpoints --no-build " + args);
    EXPECT_EQ(bad.exit_code, 2) << args << "\n" << bad.output;
    EXPECT_NE(bad.output.find("[--min-pause MS]"), std::string::npos)
      << bad.output;
  }
}

TEST(BenchClusterScript, ComparesATinyClusterReplayWithOneProcess) {
  auto res = run_command("SHOAL_BUILD='" + std::string{SHOAL_BINARY_DIR} + "' '"
                         + std::string{SHOAL_SOURCE_DIR}
                         + "/scripts/bench-cluster' --no-build --sensors 20 "
                           "--samples 2000 --reps 2");
  ASSERT_EQ(res.exit_code, 0) << res.output;
  EXPECT_NE(res.output.find("a cluster replay against one process: 200 "
                            "nodes (20 sensors), 2000 samples"),
            std::string::npos)
    << res.output;
  // One line per run: both times, the ratio, the outputs, equal, memory.
  std::regex run{"\n  [12] +[0-9.]+s +[0-9.]+s +[0-9.]+ +[1-9][0-9]* +yes +"
                 "[0-9]+ and [0-9]+ MB"};
  auto runs = std::distance(
    std::sregex_iterator(res.output.begin(), res.output.end(), run),
    std::sregex_iterator());
  EXPECT_EQ(runs, 2) << res.output;
  auto bad = run_command(std::string{SHOAL_SOURCE_DIR}
                         + "/scripts/bench-cluster --sensors 2 --no-build");
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
}

TEST(ShoalctlStatusCheckpoint, PrintsOnlyTheCheckpointFigures) {
  int port = free_loopback_port();
  member_process n1{write_member_config("n1", port, {port}, "",
                                        "checkpoint_interval_ms = 100\n")};
  await_member_count(port, 1);
  auto graph = write_temp_file("status_checkpoint_graph.toml", two_cell_graph);
  auto res = shoalctl(port, "apply " + graph);
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log();
  nlohmann::json j;
  for (int i = 0; i < 100; ++i) {
    res = shoalctl(port, "status --checkpoint --json");
    ASSERT_EQ(res.exit_code, 0) << res.output;
    j = nlohmann::json::parse(res.output, nullptr, false);
    ASSERT_TRUE(j.is_object()) << res.output;
    if (j["checkpoint"]["committed"].get<uint64_t>() > 0)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_GT(j["checkpoint"]["committed"].get<uint64_t>(), 0u) << n1.log();
  EXPECT_EQ(j.size(), 1u) << res.output;
  for (const char* field :
       {"rounds_committed", "rounds_failed", "last_took_ms", "last_failure"})
    EXPECT_TRUE(j["checkpoint"].contains(field)) << field;
  auto text = shoalctl(port, "status --checkpoint");
  ASSERT_EQ(text.exit_code, 0) << text.output;
  EXPECT_EQ(text.output.rfind("checkpoint: #", 0), 0u) << text.output;
  EXPECT_EQ(text.output.find("members ("), std::string::npos) << text.output;
}
