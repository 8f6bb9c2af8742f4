// Changing the graph a cluster of real members runs: apply during a replay,
// replacing and removing nodes, and failover after kill -9.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <gtest/gtest.h>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "runtime/graph/graph_load.hpp"
#include "tests/support/member_process.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/process.hpp"
#include "tests/support/random_graph.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal::test_support;

namespace {

/// The two cells of `two_cell_graph` and a slow Lua feature that makes a
/// replay last long enough to change the graph while it runs.
const std::string base_graph = std::string{two_cell_graph} + R"(
[[feature]]
name = "a.slow"
fn = "lua"
needs = ["a.temp"]
code = "return function(x) local s = 0 for i = 1, 15000 do s = s + i end state.n = (state.n or 0) + 1 return x + state.n end"
emit = true
)";

std::vector<std::string> sorted_rows(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in{text};
  std::string line;
  while (std::getline(in, line))
    if (line != "node,ts,value")
      lines.push_back(line);
  std::sort(lines.begin(), lines.end());
  return lines;
}

/// The rows of `rows` whose node is `node`.
std::vector<std::string> rows_of(const std::vector<std::string>& rows,
                                 const std::string& node) {
  std::vector<std::string> xs;
  for (auto& r : rows)
    if (r.compare(0, node.size() + 1, node + ",") == 0)
      xs.push_back(r);
  return xs;
}

/// The rows of `rows` with a timestamp of at least `from`.
std::vector<std::string> rows_from(const std::vector<std::string>& rows,
                                   long long from) {
  std::vector<std::string> xs;
  for (auto& r : rows) {
    auto comma = r.find(',');
    if (std::stoll(r.substr(comma + 1)) >= from)
      xs.push_back(r);
  }
  return xs;
}

/// Replays `input` through `graph` on one node; returns the sorted rows.
std::vector<std::string> single_node(const std::string& graph,
                                     const std::string& input) {
  auto out = write_temp_file("change_single_out.csv", "");
  auto res = run_command(binary("shoal-node") + " --graph " + graph
                         + " --replay " + input + " --out " + out);
  EXPECT_EQ(res.exit_code, 0) << res.output;
  return sorted_rows(read_file(out));
}

/// Polls `shoalctl graph` at `port` for up to 15 s until `pred` holds.
template <class Pred>
std::string await_graph(int port, Pred pred) {
  std::string out;
  for (int i = 0; i < 150; ++i) {
    out = shoalctl(port, "graph").output;
    if (pred(out))
      return out;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return out;
}

/// Three members n1..n3; `cluster_extra` goes into each one's [cluster].
struct cluster3 {
  std::vector<int> ports{free_loopback_port(), free_loopback_port(),
                         free_loopback_port()};
  std::string extra;
  member_process n1{write_member_config("n1", ports[0], {ports[0]}, "", extra)};
  member_process n2{write_member_config("n2", ports[1], {ports[0]}, "", extra)};
  member_process n3{write_member_config("n3", ports[2], {ports[0]}, "", extra)};

  explicit cluster3(std::string cluster_extra = "")
    : extra(std::move(cluster_extra)) {
    await_member_count(ports[0], 3);
    await_member_count(ports[1], 3);
    await_member_count(ports[2], 3);
  }

  std::string logs() const {
    return n1.log() + n2.log() + n3.log();
  }
};

} // namespace

namespace {

/// Replays a file through member `replay_at` while a model is added through
/// member `apply_at`: the running models lose and gain nothing, and the new
/// one's outputs reach the replay's sink. `cluster_extra` goes into every
/// member's [cluster] table; `status` (if not null) gets the leader's
/// checkpoint status afterwards.
void apply_during_replay(size_t replay_at, size_t apply_at,
                         const std::string& cluster_extra = "",
                         std::string* status = nullptr) {
  auto graph = write_temp_file("change_base.toml", base_graph);
  auto g = shoal::load_graph(graph);
  ASSERT_TRUE(g);
  auto input = write_temp_file("change_input.csv", random_input(*g, 11, 60000));
  auto want = single_node(graph, input);
  cluster3 c{cluster_extra};
  auto res = shoalctl(c.ports[1], "apply " + graph);
  ASSERT_EQ(res.exit_code, 0) << res.output << c.logs();
  auto out = write_temp_file("change_replay_out.csv", "");
  std::atomic<bool> replay_done{false};
  ctl_result replay;
  std::thread replayer{[&] {
    // Small pieces: the input enters the graph piece by piece, so that the
    // model added meanwhile sees the pieces after it.
    replay = shoalctl(c.ports[replay_at], "replay " + input + " --out " + out
                                            + " --piece-size 65536");
    replay_done = true;
  }};
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  // Through another member than the replay's; it names running nodes.
  auto added = write_temp_file("change_added.toml", R"(
[[model]]
name = "m.added"
kind = "linear"
needs = ["a.slow", "b.temp"]
weights = [1.0, -1.0]
emit = true
)");
  auto applied = shoalctl(c.ports[apply_at], "apply " + added);
  bool during = !replay_done;
  replayer.join();
  ASSERT_EQ(applied.exit_code, 0) << applied.output << c.logs();
  EXPECT_NE(applied.output.find("added 1, replaced 0, unchanged 0"),
            std::string::npos)
    << applied.output;
  ASSERT_EQ(replay.exit_code, 0) << replay.output << c.logs();
  ASSERT_TRUE(during) << "the replay ended before the apply: make it longer";
  auto got = sorted_rows(read_file(out));
  // The models already running lost nothing and gained nothing.
  for (auto node : {"b.ewma", "a.slow", "m.sum"}) {
    auto w = rows_of(want, node);
    auto x = rows_of(got, node);
    EXPECT_GT(w.size(), 100u) << node;
    EXPECT_EQ(x.size(), w.size()) << node;
    EXPECT_TRUE(x == w) << node;
  }
  // The new model produced outputs within the replay: it subscribed to the
  // slow feature ahead of that feature's backlog.
  EXPECT_GT(rows_of(got, "m.added").size(), 0u);
  auto placed = shoalctl(c.ports[replay_at], "graph").output;
  EXPECT_NE(placed.find("m.added "), std::string::npos) << placed;
  if (status)
    *status = shoalctl(c.ports[0], "status --checkpoint --json").output;
}

} // namespace

TEST(ClusterChange, ApplyDuringAReplayAddsModelsAndTheRunningOnesLoseNothing) {
  apply_during_replay(2, 0);
}

TEST(ClusterChange, ApplyDuringAReplayOnTheLeaderReachesTheLeadersSink) {
  // n1 leads: the change is committed where the replay's sink is, which
  // must follow it as the other members' sinks do.
  apply_during_replay(0, 1);
}

TEST(ClusterChange, ApplyDuringAReplayWithRoundsBackToBackLosesNothing) {
  // Checkpoint rounds run all the time, so the change begins while nodes
  // hold what inputs sent after a round's marks: the round ends
  // uncommitted (status said "a graph change began" in every run here),
  // every node lets what it held go, and the replay's outputs are still
  // exactly the single node's. Rounds go on after the change.
  std::string status;
  apply_during_replay(2, 0, "checkpoint_interval_ms = 20\n", &status);
  EXPECT_TRUE(std::regex_search(status, std::regex{R"("committed":[1-9])"}))
    << status;
}

TEST(ClusterChange, ReplacedNodesKeepTheirSubscribersAndRemovalsAreChecked) {
  // m.top listens to m.sum, which gets replaced.
  const std::string small = std::string{two_cell_graph} + R"(
[[model]]
name = "m.top"
kind = "linear"
needs = ["m.sum", "b.temp"]
weights = [0.5, 0.5]
emit = true
)";
  auto graph = write_temp_file("change_small.toml", small);
  auto g = shoal::load_graph(graph);
  ASSERT_TRUE(g);
  auto first = random_input(*g, 21, 3000);
  auto later = random_input(*g, 22, 3000, 100000);
  auto input1 = write_temp_file("change_part1.csv", first);
  auto input2 = write_temp_file("change_part2.csv", later);
  cluster3 c;
  ASSERT_EQ(shoalctl(c.ports[0], "apply " + graph).exit_code, 0) << c.logs();
  auto out1 = write_temp_file("change_out1.csv", "");
  ASSERT_EQ(
    shoalctl(c.ports[1], "replay " + input1 + " --out " + out1).exit_code, 0)
    << c.logs();
  auto placed_before = sorted_rows(shoalctl(c.ports[0], "graph").output);
  // m.sum gets new weights: a new actor under the same name, on the same
  // member, feeding the running m.top.
  std::string changed = small;
  changed.replace(changed.find("weights = [1.0, 1.0]"), 20,
                  "weights = [2.0, -1.0]");
  auto graph2 = write_temp_file("change_small2.toml", changed);
  auto res = shoalctl(c.ports[2], "apply " + graph2);
  ASSERT_EQ(res.exit_code, 0) << res.output << c.logs();
  EXPECT_NE(res.output.find("added 0, replaced 1, unchanged 5"),
            std::string::npos)
    << res.output;
  EXPECT_EQ(sorted_rows(shoalctl(c.ports[0], "graph").output), placed_before);
  // The second file gives what one node gives on the new graph over both
  // files, after the first: m.sum is stateless, so its cold start loses
  // nothing, and m.top kept listening to it.
  auto out2 = write_temp_file("change_out2.csv", "");
  res = shoalctl(c.ports[1], "replay " + input2 + " --out " + out2);
  ASSERT_EQ(res.exit_code, 0) << res.output << c.logs();
  auto both = write_temp_file("change_both.csv",
                              first + later.substr(later.find('\n') + 1));
  auto want = rows_from(single_node(graph2, both), 90000);
  auto got = sorted_rows(read_file(out2));
  EXPECT_GT(rows_of(want, "m.top").size(), 100u);
  EXPECT_EQ(got.size(), want.size());
  EXPECT_TRUE(got == want);

  // A node others need is not removed, unless with them.
  res = shoalctl(c.ports[1], "remove m.sum");
  EXPECT_EQ(res.exit_code, 1);
  EXPECT_NE(res.output.find("cannot remove 'm.sum': 'm.top' needs it"),
            std::string::npos)
    << res.output;
  res = shoalctl(c.ports[1], "remove nosuch");
  EXPECT_EQ(res.exit_code, 1);
  EXPECT_NE(res.output.find("unknown node 'nosuch'"), std::string::npos)
    << res.output;
  // A bad apply on the running graph changes nothing.
  auto bad = write_temp_file("change_bad.toml",
                             "[[model]]\nname = \"m.bad\"\nkind = \"linear\"\n"
                             "needs = [\"nope\"]\nweights = [1.0]\n");
  res = shoalctl(c.ports[2], "apply " + bad);
  EXPECT_EQ(res.exit_code, 1);
  EXPECT_NE(res.output.find("node 'm.bad'"), std::string::npos) << res.output;
  EXPECT_EQ(sorted_rows(shoalctl(c.ports[0], "graph").output), placed_before);
  res = shoalctl(c.ports[2], "remove a.mean --cascade");
  ASSERT_EQ(res.exit_code, 0) << res.output << c.logs();
  EXPECT_NE(res.output.find("removed 3: a.mean m.sum m.top"), std::string::npos)
    << res.output;
  auto placed = shoalctl(c.ports[1], "graph").output;
  EXPECT_EQ(placed.find("m.sum"), std::string::npos) << placed;
  EXPECT_NE(placed.find("b.ewma"), std::string::npos) << placed;
  // What is left keeps running.
  auto input3
    = write_temp_file("change_part3.csv", random_input(*g, 23, 500, 200000));
  auto out3 = write_temp_file("change_out3.csv", "");
  res = shoalctl(c.ports[0], "replay " + input3 + " --out " + out3);
  ASSERT_EQ(res.exit_code, 0) << res.output << c.logs();
  auto rows = sorted_rows(read_file(out3));
  EXPECT_GT(rows_of(rows, "b.ewma").size(), 10u);
  EXPECT_EQ(rows_of(rows, "m.top").size(), 0u);
}

TEST(ClusterFailover, AKilledMembersNodesArePlacedAgainOnTheSurvivors) {
  auto graph = write_temp_file("failover_graph.toml", two_cell_graph);
  auto g = shoal::load_graph(graph);
  ASSERT_TRUE(g);
  cluster3 c;
  auto res = shoalctl(c.ports[0], "apply " + graph);
  ASSERT_EQ(res.exit_code, 0) << res.output << c.logs();
  // Two cells on three members: n1 and n2 run them, n3 none.
  auto placed = shoalctl(c.ports[2], "graph").output;
  ASSERT_NE(placed.find(" n2"), std::string::npos) << placed;
  c.n2.kill9();
  placed = await_graph(c.ports[2], [](const std::string& out) {
    return !out.empty() && out.find(" n2") == std::string::npos;
  });
  EXPECT_EQ(placed.find(" n2"), std::string::npos) << placed << c.logs();
  EXPECT_NE(placed.find("b.temp "), std::string::npos) << placed;
  // Warm or cold depends on whether a checkpoint was committed before the
  // kill (warm_failover_test.cpp checks the warm case).
  EXPECT_TRUE(await_log(c.n1, "placed 2 nodes of departed members again: "))
    << c.n1.log();
  // Status says who is down and how many nodes were placed again.
  auto status = shoalctl(c.ports[2], "status");
  EXPECT_NE(status.output.find("down: n2 (2 nodes placed again: "),
            std::string::npos)
    << status.output;
  EXPECT_NE(status.output.find("nodes (5)"), std::string::npos)
    << status.output;
  // The survivors serve the whole graph: every emitting node has outputs.
  auto input
    = write_temp_file("failover_input.csv", random_input(*g, 31, 2000, 50000));
  auto out = write_temp_file("failover_out.csv", "");
  res = shoalctl(c.ports[2], "replay " + input + " --out " + out);
  ASSERT_EQ(res.exit_code, 0) << res.output << c.logs();
  auto rows = sorted_rows(read_file(out));
  EXPECT_GT(rows_of(rows, "b.ewma").size(), 100u);
  EXPECT_GT(rows_of(rows, "m.sum").size(), 100u);
  EXPECT_TRUE(c.n1.running() && c.n3.running());
}

TEST(ClusterFailover, TheLeaderPlacesTheNodesAgainWithoutWaitingForAHeartbeat) {
  // Heartbeats a minute apart: a kill -9 is noticed at once (the connection
  // drops), and the leader places the dead member's nodes again 50 ms
  // later (coordinator.hpp, failover_settle), not at its next heartbeat.
  auto graph = write_temp_file("settle_graph.toml", two_cell_graph);
  std::vector<int> ports{free_loopback_port(), free_loopback_port()};
  // A member dials at once only seeds whose address sorts before its own
  // (membership.cpp, try_join); the others a few heartbeats later, minutes
  // here. So n1, the seed, gets the address that sorts first, and listens
  // before n2 starts.
  if (std::to_string(ports[1]) < std::to_string(ports[0]))
    std::swap(ports[0], ports[1]);
  member_process n1{
    write_member_config("n1", ports[0], {ports[0]}, "", "", 120'000, 60'000)};
  await_member_count(ports[0], 1);
  member_process n2{
    write_member_config("n2", ports[1], {ports[0]}, "", "", 120'000, 60'000)};
  await_member_count(ports[0], 2);
  await_member_count(ports[1], 2);
  auto res = shoalctl(ports[0], "apply " + graph);
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log() << n2.log();
  auto placed = shoalctl(ports[0], "graph").output;
  ASSERT_NE(placed.find(" n2"), std::string::npos) << placed;
  n2.kill9();
  // await_log waits 10 s, a sixth of the heartbeat.
  EXPECT_TRUE(await_log(n1, "placed 2 nodes of departed members again: "))
    << n1.log();
  placed = shoalctl(ports[0], "graph").output;
  EXPECT_EQ(placed.find(" n2"), std::string::npos) << placed;
}

TEST(ClusterChange, TheConfiguredGraphIsAppliedWhenTheClusterForms) {
  auto graph = write_temp_file("formed_graph.toml", two_cell_graph);
  std::vector<int> ports{free_loopback_port(), free_loopback_port()};
  auto key = "graph = \"" + graph + "\"\n";
  member_process n1{write_member_config("n1", ports[0], {ports[0]}, "", key)};
  member_process n2{write_member_config("n2", ports[1], {ports[0]}, "", key)};
  auto placed = await_graph(ports[1], [](const std::string& out) {
    return sorted_rows(out).size() == 5;
  });
  EXPECT_EQ(sorted_rows(placed).size(), 5u) << placed << n1.log() << n2.log();
  // Both members named it: one applied it, for the other it was unchanged.
  EXPECT_TRUE(await_log(n1, "graph " + graph + ": "));
  EXPECT_TRUE(await_log(n2, "graph " + graph + ": "));
  auto logs = n1.log() + n2.log();
  EXPECT_NE(logs.find("applied 5 nodes"), std::string::npos) << logs;
  // A configured graph that does not load stops the member at start.
  auto bad = write_temp_file("formed_bad.toml", "[[sensor]]\nname = 1\n");
  member_process n3{write_member_config("n3", free_loopback_port(), {ports[0]},
                                        "", "graph = \"" + bad + "\"\n")};
  EXPECT_EQ(n3.wait_exit(10), 2) << n3.log();
  EXPECT_NE(n3.log().find("[cluster] 'graph'"), std::string::npos) << n3.log();
}

TEST(ClusterChange,
     AFourthMemberReceivesNodesWithTheirStateAndNoOutputChanges) {
  // Four cells with state everywhere: count windows, a std, a Lua state with
  // math.random, and a model joining all four.
  const char* stateful = R"(
[[sensor]]
name = "a"
[[sensor]]
name = "b"
[[sensor]]
name = "c"
[[sensor]]
name = "d"
[[feature]]
name = "fa"
fn = "rolling_mean"
needs = ["a"]
window = 5
emit = true
[[feature]]
name = "fb"
fn = "rolling_std"
needs = ["b"]
window = 4
emit = true
[[feature]]
name = "fc"
fn = "lua"
needs = ["c"]
code = "return function(x) state.n = (state.n or 0) + 1 state.s = (state.s or 0) + x state.h = state.h or {} state.h[#state.h % 3 + 1] = x return state.s / state.n + math.random() end"
emit = true
[[feature]]
name = "fd"
fn = "rolling_max"
needs = ["d"]
window = 3
emit = true
[[feature]]
name = "gd"
fn = "ewma"
needs = ["fd"]
alpha = 0.3
emit = true
[[model]]
name = "m"
kind = "linear"
needs = ["fa", "fb", "fc", "gd"]
weights = [1.0, 1.0, 1.0, 1.0]
emit = true
)";
  auto graph = write_temp_file("join_graph.toml", stateful);
  auto g = shoal::load_graph(graph);
  ASSERT_TRUE(g);
  auto first = random_input(*g, 41, 4000);
  auto later = random_input(*g, 42, 4000, 100000);
  auto input1 = write_temp_file("join_part1.csv", first);
  auto input2 = write_temp_file("join_part2.csv", later);
  auto both = write_temp_file("join_both.csv",
                              first + later.substr(later.find('\n') + 1));
  auto want = rows_from(single_node(graph, both), 90000);
  cluster3 c;
  ASSERT_EQ(shoalctl(c.ports[0], "apply " + graph).exit_code, 0) << c.logs();
  auto out1 = write_temp_file("join_out1.csv", "");
  ASSERT_EQ(
    shoalctl(c.ports[1], "replay " + input1 + " --out " + out1).exit_code, 0)
    << c.logs();
  // n4 joins: cells move to it, each node with its state.
  auto port4 = free_loopback_port();
  member_process n4{write_member_config("n4", port4, {c.ports[0]})};
  EXPECT_TRUE(await_log(c.n1, "re-balanced: moved")) << c.logs() << n4.log();
  auto placed = await_graph(c.ports[2], [](const std::string& out) {
    return out.find(" n4") != std::string::npos;
  });
  EXPECT_NE(placed.find(" n4"), std::string::npos) << placed << c.logs();
  // The second file gives exactly what one node gives after the first.
  auto out2 = write_temp_file("join_out2.csv", "");
  auto res = shoalctl(port4, "replay " + input2 + " --out " + out2);
  ASSERT_EQ(res.exit_code, 0) << res.output << c.logs() << n4.log();
  auto got = sorted_rows(read_file(out2));
  EXPECT_GT(rows_of(want, "m").size(), 100u);
  EXPECT_EQ(got.size(), want.size());
  EXPECT_TRUE(got == want);
  auto all = c.logs() + n4.log();
  EXPECT_EQ(all.find("moved without its state"), std::string::npos) << all;
}
