// Warm failover (SPEC section 10): the leader takes checkpoints of every
// node's state, each member's copy kept by another member, and after a
// member is killed every node resumes from the latest committed checkpoint
// instead of starting cold; a replay under way goes on from there and
// writes exactly the outputs of a replay without failure. Three real
// members on loopback.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <future>
#include <gtest/gtest.h>
#include <memory>
#include <regex>
#include <string>
#include <thread>
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

/// The newest committed checkpoint that `shoalctl status --json` at `port`
/// reports (0 if none or no answer).
uint64_t committed_checkpoint(int port) {
  auto out = shoalctl(port, "status --json").output;
  std::smatch m;
  static const std::regex committed{R"re("committed":(\d+))re"};
  if (!std::regex_search(out, m, committed))
    return 0;
  return std::stoull(m[1].str());
}

/// The rounds the leader skipped because nothing changed (0 if no answer).
uint64_t skipped_rounds(int port) {
  auto out = shoalctl(port, "status --json").output;
  std::smatch m;
  static const std::regex skipped{R"re("rounds_skipped":(\d+))re"};
  if (!std::regex_search(out, m, skipped))
    return 0;
  return std::stoull(m[1].str());
}

/// Waits up to 30 s until the latest committed checkpoint holds everything
/// that happened so far: a round committed, and then the leader found
/// nothing changed since it (a round skipped).
bool await_checkpoint_current(int port) {
  auto skipped = skipped_rounds(port);
  for (int i = 0; i < 300; ++i) {
    if (committed_checkpoint(port) > 0 && skipped_rounds(port) > skipped)
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

/// Waits up to 30 s for a checkpoint newer than `after` to be committed.
bool await_checkpoint_after(int port, uint64_t after) {
  for (int i = 0; i < 300; ++i) {
    if (committed_checkpoint(port) > after)
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

/// Three members n1..n3 with checkpoints every 100 ms.
struct cluster3 {
  std::vector<int> ports;
  std::vector<std::unique_ptr<member_process>> n;

  cluster3() {
    for (int i = 0; i < 3; ++i)
      ports.push_back(free_loopback_port());
    for (int i = 0; i < 3; ++i)
      n.push_back(std::make_unique<member_process>(
        write_member_config("n" + std::to_string(i + 1), ports[i], {ports[0]},
                            "", "checkpoint_interval_ms = 100\n", 1500)));
    await_member_count(ports[0], 3);
  }

  std::string logs() const {
    std::string out;
    for (auto& m : n)
      out += m->log();
    return out;
  }
};

/// A graph of `n` sensors s0.. and a rolling mean of each: 2n nodes, whose
/// checkpoint rounds take longer than a millisecond.
std::string sensors_and_means(int n) {
  std::string toml;
  for (int i = 0; i < n; ++i) {
    auto s = "s" + std::to_string(i);
    toml += "[[sensor]]\nname = \"" + s + "\"\n[[feature]]\nname = \"" + s
            + ".mean\"\nfn = \"rolling_mean\"\nneeds = [\"" + s
            + "\"]\nwindow = 2\n";
  }
  return toml;
}

/// One sample at `ts` with `value` for each of the sensors of
/// `sensors_and_means(n)`.
std::string one_sample_each(int n, int64_t ts, int value) {
  std::string csv = "sensor,ts,value\n";
  for (int i = 0; i < n; ++i)
    csv += "s" + std::to_string(i) + "," + std::to_string(ts) + ","
           + std::to_string(value) + "\n";
  return csv;
}

/// A cluster of one member `name` on a free port, with `[cluster]`
/// settings `cluster`.
struct lone_member {
  int port = free_loopback_port();
  member_process process;

  lone_member(const std::string& name, const std::string& cluster)
    : process{write_member_config(name, port, {port}, "", cluster)} {
    await_member_count(port, 1);
  }

  std::string log() const {
    return process.log();
  }

  /// Applies the graph file `graph` (call within ASSERT_NO_FATAL_FAILURE,
  /// as `replay`).
  void apply(const std::string& graph) const {
    auto res = shoalctl(port, "apply " + graph);
    ASSERT_EQ(res.exit_code, 0) << res.output << log();
  }

  /// Replays the file `input` (its outputs are not kept).
  void replay(const std::string& input) const {
    auto out = write_temp_file("lone_out.csv", "");
    auto res = shoalctl(port, "replay " + input + " --out " + out);
    ASSERT_EQ(res.exit_code, 0) << res.output << log();
  }
};

/// Two single-member clusters with `[cluster]` settings of their own:
/// "plain" (member q1) and "paused" (member p1), running
/// `sensors_and_means(n)` once `apply(n)` was called.
struct plain_and_paused {
  lone_member plain;
  lone_member paused;
  /// One sample of every sensor, written by `apply`.
  std::string input;

  plain_and_paused(const std::string& plain_cluster,
                   const std::string& paused_cluster)
    : plain{"q1", plain_cluster}, paused{"p1", paused_cluster} {
    // nop
  }

  std::string logs() const {
    return plain.log() + paused.log();
  }

  /// Applies `sensors_and_means(n)` to both and waits for each one's first
  /// round (call within ASSERT_NO_FATAL_FAILURE).
  void apply(int n) {
    auto graph = write_temp_file("pause_graph.toml", sensors_and_means(n));
    input = write_temp_file("pause_input.csv", one_sample_each(n, 1000, 1));
    for (auto* m : {&plain, &paused}) {
      ASSERT_NO_FATAL_FAILURE(m->apply(graph));
      ASSERT_TRUE(await_checkpoint_after(m->port, 0)) << logs();
    }
  }
};

} // namespace

TEST(WarmFailover, AReplayThroughAMembersDeathWritesExactlyTheOutputsOfOne) {
  auto graph = write_temp_file("through_graph.toml", stateful_graph);
  auto g = shoal::load_graph(graph);
  ASSERT_TRUE(g);
  // Large enough that the replay is still under way when the kill comes
  // (a checkpoint into it), with every kind of faulty row.
  auto input
    = write_temp_file("through_input.csv", random_input(*g, 51, 1500000));
  auto want_out = write_temp_file("through_want.csv", "");
  auto single = run_command(binary("shoal-node") + " --graph " + graph
                            + " --replay " + input + " --out " + want_out);
  ASSERT_EQ(single.exit_code, 0) << single.output;
  cluster3 c;
  auto res = shoalctl(c.ports[0], "apply " + graph);
  ASSERT_EQ(res.exit_code, 0) << res.output << c.logs();
  ASSERT_TRUE(await_checkpoint_after(c.ports[0], 0)) << c.logs();
  auto out = write_temp_file("through_out.csv", "");
  auto before = committed_checkpoint(c.ports[0]);
  // Small pieces keep the replay going for seconds, so that the kill below
  // comes in the middle of it however fast the machine is (with 8 MiB
  // pieces it took under a second, and a loaded machine could see the
  // checkpoint only after the input's end).
  auto replay = std::async(std::launch::async, [&] {
    return shoalctl(c.ports[0], "--timeout 120 replay " + input
                                  + " --piece-size 65536 --out " + out);
  });
  // A checkpoint taken during the replay, then n2 dies.
  ASSERT_TRUE(await_checkpoint_after(c.ports[0], before + 1)) << c.logs();
  c.n[1]->kill9();
  res = replay.get();
  ASSERT_EQ(res.exit_code, 0) << res.output << c.logs();
  EXPECT_NE(c.n[0]->log().find("goes on from checkpoint"), std::string::npos)
    << c.logs();
  EXPECT_EQ(output_rows(read_file(out)), output_rows(read_file(want_out)))
    << c.logs();
}

TEST(WarmFailover, AKilledMembersNodesResumeFromTheLatestCheckpoint) {
  auto graph = write_temp_file("warm_graph.toml", stateful_graph);
  auto halves = make_two_halves(graph, 41, 3000, "warm");
  ASSERT_FALSE(halves.want.empty());
  std::vector<int> ports;
  for (int i = 0; i < 3; ++i)
    ports.push_back(free_loopback_port());
  std::string fast = "checkpoint_interval_ms = 100\n";
  member_process n1{
    write_member_config("n1", ports[0], {ports[0]}, "", fast, 1500)};
  member_process n2{
    write_member_config("n2", ports[1], {ports[0]}, "", fast, 1500)};
  member_process n3{
    write_member_config("n3", ports[2], {ports[0]}, "", fast, 1500)};
  await_member_count(ports[0], 3);
  auto logs = [&] {
    return n1.log() + n2.log() + n3.log();
  };
  auto res = shoalctl(ports[0], "apply " + graph);
  ASSERT_EQ(res.exit_code, 0) << res.output << logs();
  auto placed = shoalctl(ports[0], "graph").output;
  ASSERT_NE(placed.find(" n3\n"), std::string::npos) << placed;
  auto out1 = write_temp_file("warm_out1.csv", "");
  res = shoalctl(ports[0], "replay " + halves.first + " --out " + out1);
  ASSERT_EQ(res.exit_code, 0) << res.output << logs();
  // A checkpoint taken after the first file: it holds every node's state
  // after exactly that file.
  ASSERT_TRUE(await_checkpoint_current(ports[0])) << logs();
  n3.kill9();
  placed = "";
  for (int i = 0; i < 150; ++i) {
    placed = shoalctl(ports[0], "graph").output;
    if (!placed.empty() && placed.find(" n3") == std::string::npos)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(placed.find(" n3"), std::string::npos) << placed << logs();
  // Every node got a new actor with its state from the checkpoint.
  EXPECT_TRUE(await_log(n1, "restored 13 of 13 nodes from checkpoint "))
    << n1.log();
  auto status = shoalctl(ports[1], "status").output;
  EXPECT_NE(status.find("from a checkpoint, 0 cold)"), std::string::npos)
    << status;
  // The second file continues from the state of the first, as one node
  // over both files: the nodes of n3 lost nothing.
  auto out2 = write_temp_file("warm_out2.csv", "");
  res = shoalctl(ports[1], "replay " + halves.later + " --out " + out2);
  ASSERT_EQ(res.exit_code, 0) << res.output << logs();
  EXPECT_EQ(output_rows(read_file(out2)), halves.want) << logs();
}

class ClusterRestart : public temp_dir_test {};

TEST_F(ClusterRestart,
       ACheckpointUnderDataDirSurvivesARestartOfTheWholeCluster) {
  auto graph = write_temp_file("restart_graph.toml", stateful_graph);
  auto g = shoal::load_graph(graph);
  ASSERT_TRUE(g);
  auto halves = make_two_halves(graph, 61, 3000, "restart");
  ASSERT_FALSE(halves.want.empty());
  std::vector<int> ports;
  std::vector<std::string> configs;
  for (int i = 0; i < 3; ++i)
    ports.push_back(free_loopback_port());
  for (int i = 0; i < 3; ++i) {
    auto name = "n" + std::to_string(i + 1);
    configs.push_back(
      write_member_config(name, ports[i], {ports[0], ports[1]},
                          "data_dir = \"" + (dir_ / name).string() + "\"\n",
                          "checkpoint_interval_ms = 100\n", 1500));
  }
  std::vector<std::unique_ptr<member_process>> n;
  for (auto& cfg : configs)
    n.push_back(std::make_unique<member_process>(cfg));
  auto logs = [&] {
    std::string out;
    for (auto& m : n)
      out += m->log();
    return out;
  };
  await_member_count(ports[0], 3);
  auto res = shoalctl(ports[0], "apply " + graph);
  ASSERT_EQ(res.exit_code, 0) << res.output << logs();
  auto out1 = write_temp_file("restart_out1.csv", "");
  res = shoalctl(ports[0], "replay " + halves.first + " --out " + out1);
  ASSERT_EQ(res.exit_code, 0) << res.output << logs();
  ASSERT_TRUE(await_checkpoint_current(ports[0])) << logs();
  // Every member dies at once (a power loss), then starts again with its
  // data_dir, in another order.
  for (auto& m : n)
    m->kill9();
  n.clear();
  for (int i = 2; i >= 0; --i)
    n.push_back(std::make_unique<member_process>(configs[i]));
  await_member_count(ports[0], 3);
  std::string placed;
  for (int i = 0; i < 150; ++i) {
    placed = shoalctl(ports[0], "graph").output;
    if (sorted_lines(placed).size() == g->nodes.size())
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(sorted_lines(placed).size(), g->nodes.size()) << placed << logs();
  // The second file continues from the state the first left.
  auto out2 = write_temp_file("restart_out2.csv", "");
  res = shoalctl(ports[0], "replay " + halves.later + " --out " + out2);
  ASSERT_EQ(res.exit_code, 0) << res.output << logs();
  EXPECT_EQ(output_rows(read_file(out2)), halves.want) << logs();
  EXPECT_NE(logs().find("restoring the graph of checkpoint"), std::string::npos)
    << logs();
}

TEST(WarmFailover, ALuaStateThatCannotBeCheckpointedIsAnErrorOfItsNode) {
  auto graph = write_temp_file("cold_state_graph.toml", R"(
[[sensor]]
name = "s"
[[model]]
name = "m.fn"
kind = "lua"
needs = ["s"]
code = "return function(x) state.f = function() return x end return x end"
)");
  lone_member n1{"n1", "checkpoint_interval_ms = 100\n"};
  ASSERT_NO_FATAL_FAILURE(n1.apply(graph));
  ASSERT_NO_FATAL_FAILURE(n1.replay(write_temp_file(
    "cold_state_input.csv", "sensor,ts,value\ns,1000,1\ns,2000,2\n")));
  ASSERT_TRUE(await_checkpoint_current(n1.port)) << n1.log();
  auto status = shoalctl(n1.port, "status --json").output;
  EXPECT_NE(status.find("checkpoint without its function's state"),
            std::string::npos)
    << status;
  EXPECT_NE(status.find("\"errors\":1"), std::string::npos) << status;
}

TEST(CheckpointPause, NoRoundStartsUntilThePauseAfterTheLastOnePassed) {
  // Two single-member clusters, checkpoints every 100 ms: one with a
  // pause of ten minutes between rounds, one without. After the first round,
  // a replay changes every node; only the one without the pause takes
  // another round.
  plain_and_paused c{
    "checkpoint_interval_ms = 100\n",
    "checkpoint_interval_ms = 100\ncheckpoint_min_pause_ms = 600000\n"};
  ASSERT_NO_FATAL_FAILURE(c.apply(1));
  // Both read before the replays: a round that takes in what a replay
  // changed may be committed by the time it ends.
  auto first = committed_checkpoint(c.paused.port);
  auto plain_first = committed_checkpoint(c.plain.port);
  for (auto* m : {&c.paused, &c.plain})
    ASSERT_NO_FATAL_FAILURE(m->replay(c.input));
  // The member without the pause checkpoints what the replay changed.
  ASSERT_TRUE(await_checkpoint_after(c.plain.port, plain_first))
    << c.plain.log();
  // The other, asked at least as long, still has only its first round,
  // and has not given up any either.
  EXPECT_EQ(committed_checkpoint(c.paused.port), first) << c.paused.log();
  auto status = shoalctl(c.paused.port, "status --checkpoint --json").output;
  EXPECT_TRUE(
    std::regex_search(status, std::regex{R"("rounds_committed":1\b)"}))
    << status;
  EXPECT_TRUE(std::regex_search(status, std::regex{R"("rounds_failed":0\b)"}))
    << status;
}

TEST(CheckpointPause, RoundsLongerThanTheIntervalAreWarnedAboutOnce) {
  // 4,000 nodes and checkpoints every millisecond: every round takes
  // longer than the interval. The member without a pause between rounds
  // says so, once however many rounds run; the one with a pause does not.
  plain_and_paused c{
    "checkpoint_interval_ms = 1\n",
    "checkpoint_interval_ms = 1\ncheckpoint_min_pause_ms = 1\n"};
  ASSERT_NO_FATAL_FAILURE(c.apply(2000));
  for (auto* m : {&c.plain, &c.paused}) {
    // The replay changes every node: another round.
    auto first = committed_checkpoint(m->port);
    ASSERT_NO_FATAL_FAILURE(m->replay(c.input));
    ASSERT_TRUE(await_checkpoint_after(m->port, first)) << c.logs();
  }
  auto count = [](const std::string& log) {
    size_t n = 0;
    for (auto at = log.find("event=checkpoint_slow"); at != std::string::npos;
         at = log.find("event=checkpoint_slow", at + 1))
      ++n;
    return n;
  };
  auto log = c.plain.log();
  EXPECT_EQ(count(log), 1u) << log;
  EXPECT_NE(log.find("longer than checkpoint_interval_ms (1): the rounds run "
                     "back to back"),
            std::string::npos)
    << log;
  EXPECT_EQ(count(c.paused.log()), 0u) << c.paused.log();
}

TEST(CheckpointRounds, ARoundThatBeginsAsAReplayEndsIsCommitted) {
  // Checkpoints every millisecond, so that rounds begin while a replay's
  // source has read its whole input and quit, and while its sink takes
  // the last outputs and quits: neither hears of such a round, and the
  // member's part must not wait for them (it waited for the round's
  // 15 s deadline, and the round failed).
  auto graph
    = write_temp_file("replay_end_graph.toml", sensors_and_means(2000));
  lone_member n1{"n1", "checkpoint_interval_ms = 1\n"};
  ASSERT_NO_FATAL_FAILURE(n1.apply(graph));
  ASSERT_TRUE(await_checkpoint_after(n1.port, 0)) << n1.log();
  for (int r = 1; r <= 5; ++r)
    ASSERT_NO_FATAL_FAILURE(n1.replay(write_temp_file(
      "replay_end_input.csv", one_sample_each(2000, r * 1000, r))));
  ASSERT_TRUE(await_checkpoint_current(n1.port)) << n1.log();
  auto status = shoalctl(n1.port, "status --checkpoint --json").output;
  EXPECT_TRUE(std::regex_search(status, std::regex{R"("rounds_failed":0\b)"}))
    << status << n1.log();
}
