// SIGTERM on a member is a planned leave (SPEC section 10): it hands its
// nodes with their state to the others, which drop it at once ("planned
// leave", not a failure), and exits 0 within its bound. A replay after the
// leave continues from the state the first replay left, exactly as one
// node replaying both files one after the other.

#include <algorithm>
#include <chrono>
#include <csignal>
#include <gtest/gtest.h>
#include <string>
#include <vector>

#include "runtime/graph/graph_load.hpp"
#include "tests/support/member_process.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/process.hpp"
#include "tests/support/random_graph.hpp"
#include "tests/support/temp_files.hpp"
#include "tests/support/two_halves.hpp"

using namespace shoal::test_support;

namespace {

/// Two members; one replay; SIGTERM on member `leaving` (0: n1, the
/// leader; 1: n2); a second replay through the other.
void leave_and_replay_on(int leaving) {
  auto graph = write_temp_file("leave_graph.toml", stateful_graph);
  auto g = shoal::load_graph(graph);
  ASSERT_TRUE(g);
  auto halves = make_two_halves(graph, 11, 2000, "leave");
  ASSERT_FALSE(halves.want.empty());
  auto& want = halves.want;
  auto& input1 = halves.first;
  auto& input2 = halves.later;

  std::vector<int> ports{free_loopback_port(), free_loopback_port()};
  // A failure timeout far longer than the test: only a planned leave can
  // make the survivor drop the member in time.
  member_process n1{
    write_member_config("n1", ports[0], {ports[0]}, "", "", 60000)};
  member_process n2{
    write_member_config("n2", ports[1], {ports[0]}, "", "", 60000)};
  await_member_count(ports[0], 2);
  await_member_count(ports[1], 2);
  auto res = shoalctl(ports[0], "apply " + graph);
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log() << n2.log();
  auto placed = shoalctl(ports[0], "graph").output;
  auto& goer = leaving == 0 ? n1 : n2;
  auto& stayer = leaving == 0 ? n2 : n1;
  std::string goer_name = leaving == 0 ? "n1" : "n2";
  std::string stayer_name = leaving == 0 ? "n2" : "n1";
  auto stay_port = ports[leaving == 0 ? 1 : 0];
  ASSERT_NE(placed.find(" " + goer_name + "\n"), std::string::npos) << placed;
  auto out1 = write_temp_file("leave_out1.csv", "");
  res = shoalctl(stay_port, "replay " + input1 + " --out " + out1);
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log() << n2.log();

  ASSERT_EQ(::kill(goer.pid(), SIGTERM), 0);
  EXPECT_EQ(goer.wait_exit(60), 0) << goer.log();
  // Handed over, not ended by the bound.
  EXPECT_NE(goer.log().find("handed over "), std::string::npos) << goer.log();
  EXPECT_EQ(goer.log().find("did not finish"), std::string::npos) << goer.log();
  // The survivor dropped it as a planned leave, and hosts every node.
  EXPECT_TRUE(await_log(stayer, goer_name + " left (planned leave)"))
    << stayer.log();
  EXPECT_EQ(stayer.log().find("no heartbeat"), std::string::npos)
    << stayer.log();
  auto status = shoalctl(stay_port, "status");
  EXPECT_NE(status.output.find(
              "down: " + goer_name
              + " (0 nodes placed again: 0 from a checkpoint, 0 cold)"),
            std::string::npos)
    << status.output;
  placed = shoalctl(stay_port, "graph").output;
  auto lines = sorted_lines(placed);
  EXPECT_EQ(lines.size(), g->nodes.size()) << placed;
  for (auto& line : lines)
    EXPECT_EQ(line.substr(line.find(' ') + 1), stayer_name) << placed;

  // The state moved with the nodes: the second file continues from it.
  auto out2 = write_temp_file("leave_out2.csv", "");
  res = shoalctl(stay_port, "replay " + input2 + " --out " + out2);
  ASSERT_EQ(res.exit_code, 0) << res.output << stayer.log();
  auto got = output_rows(read_file(out2));
  EXPECT_GT(want.size(), 100u);
  EXPECT_EQ(got.size(), want.size());
  EXPECT_TRUE(got == want);
  EXPECT_TRUE(stayer.running());
}

} // namespace

TEST(PlannedLeave, AMemberHandsItsNodesWithTheirStateToTheLeader) {
  leave_and_replay_on(1);
}

TEST(PlannedLeave, TheLeaderHandsItsOwnNodesOver) {
  leave_and_replay_on(0);
}

TEST(PlannedLeave, AMemberAloneExitsAtOnce) {
  auto port = free_loopback_port();
  member_process n1{write_member_config("n1", port, {port})};
  await_member_count(port, 1);
  ASSERT_EQ(::kill(n1.pid(), SIGTERM), 0);
  EXPECT_EQ(n1.wait_exit(30), 0) << n1.log();
  EXPECT_EQ(n1.log().find("did not finish"), std::string::npos) << n1.log();
}

namespace {

/// Two members with a graph, the leader (n1) frozen: n2's hand-over waits
/// for an answer that does not come.
struct frozen_leader {
  std::vector<int> ports{free_loopback_port(), free_loopback_port()};
  member_process n1{write_member_config("n1", ports[0], {ports[0]})};
  member_process n2{write_member_config("n2", ports[1], {ports[0]})};

  frozen_leader() {
    await_member_count(ports[0], 2);
    await_member_count(ports[1], 2);
    auto graph = write_temp_file("leave_frozen.toml", two_cell_graph);
    auto res = shoalctl(ports[0], "apply " + graph);
    EXPECT_EQ(res.exit_code, 0) << res.output << n1.log() << n2.log();
    ::kill(n1.pid(), SIGSTOP);
  }
  ~frozen_leader() {
    ::kill(n1.pid(), SIGCONT);
  }
};

} // namespace

TEST(PlannedLeave, ASecondSigtermExitsAtOnce) {
  frozen_leader c;
  ASSERT_EQ(::kill(c.n2.pid(), SIGTERM), 0);
  ASSERT_TRUE(await_log(c.n2, "leaving: handing its nodes over")) << c.n2.log();
  ASSERT_EQ(::kill(c.n2.pid(), SIGTERM), 0);
  // Code 1 tells it apart from the end of the leave at its bound (code 0),
  // however slow the machine.
  EXPECT_EQ(c.n2.wait_exit(60), 1) << c.n2.log();
}

TEST(PlannedLeave, AHandOverThatDoesNotFinishEndsAtTheBound) {
  frozen_leader c;
  auto asked = std::chrono::steady_clock::now();
  ASSERT_EQ(::kill(c.n2.pid(), SIGTERM), 0);
  // The bound: 10 s (three failure timeouts of 2 s are less).
  EXPECT_EQ(c.n2.wait_exit(60), 0) << c.n2.log();
  // It waited for the bound, and the bound ended the wait (a loaded machine
  // may add to the 10 s, never take from them).
  auto took = std::chrono::steady_clock::now() - asked;
  EXPECT_GE(took, std::chrono::seconds(9)) << c.n2.log();
  EXPECT_NE(c.n2.log().find("left: the hand-over did not finish"),
            std::string::npos)
    << c.n2.log();
}
