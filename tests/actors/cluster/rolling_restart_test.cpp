// A rolling restart loses no state and no output (SPEC section 10): three
// members, each stopped in turn with SIGTERM (a planned leave) and started
// again with the same configuration, while a graph with windows, Lua `state`
// and a join across sensors runs; a replay after the restart continues from
// the state the first replay left, exactly as one node replaying both files.
// A restarted member joins through one seed and must reach the others
// directly, or the next member to leave takes the route with it
// (actors/cluster/member_links.hpp); the same with TLS, whose connections
// are made the same way, and with the graph in each member's configuration,
// which a member that comes back must not deploy a second time. And a member
// that joins a running cluster learns the deployment even when re-balancing
// moves nothing to it.

#include <algorithm>
#include <chrono>
#include <csignal>
#include <gtest/gtest.h>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "runtime/graph/graph_load.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/member_process.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/process.hpp"
#include "tests/support/random_graph.hpp"
#include "tests/support/temp_files.hpp"
#include "tests/support/test_ca.hpp"
#include "tests/support/two_halves.hpp"

using namespace shoal::test_support;
using namespace std::chrono_literals;

namespace {

/// Four cells, so that every member runs some and a member that comes back
/// takes some: a window, EWMA and rate state, Lua models that count their
/// firings in `state`, a join across three sensors and one across two
/// cells. A node that restarted cold would change the outputs.
const char* rolling_graph = R"(
[[sensor]]
name = "a.temp"
[[sensor]]
name = "b.temp"
[[sensor]]
name = "c.flow"
[[sensor]]
name = "d.level"
[[feature]]
name = "a.mean"
fn = "rolling_mean"
needs = ["a.temp"]
window = 4
[[feature]]
name = "b.ewma"
fn = "ewma"
needs = ["b.temp"]
alpha = 0.3
emit = true
[[feature]]
name = "c.rate"
fn = "rate"
needs = ["c.flow"]
[[model]]
name = "d.count"
kind = "lua"
needs = ["d.level"]
code = "return function(x) state.n = (state.n or 0) + 1 return x + state.n end"
emit = true
[[model]]
name = "m.join"
kind = "linear"
needs = ["a.mean", "b.ewma", "c.rate"]
weights = [0.5, -0.25, 2.0]
bias = 1.0
trigger = ["a.mean"]
[[model]]
name = "m.lua"
kind = "lua"
needs = ["m.join", "d.count"]
trigger = ["d.count"]
code = "return function(a, b) state.n = (state.n or 0) + 1 if state.n % 5 == 0 then return nil end return a * 0.1 + b + state.n end"
)";

/// Polls `shoalctl graph` at `port` (lines "node member") until `done`
/// holds for its lines, for up to 60 s; fails the test otherwise.
template <class Pred>
void await_graph(int port, const std::string& what, Pred done) {
  std::string last;
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    auto res = shoalctl(port, "graph");
    last = res.output;
    if (res.exit_code == 0 && done(sorted_lines(last)))
      return;
    std::this_thread::sleep_for(100ms);
  }
  ADD_FAILURE() << "the graph at port " << port << " never " << what
                << "; last:\n"
                << last;
}

/// Whether a line of `shoalctl graph` places its node on `member`.
bool on(const std::string& line, const std::string& member) {
  return line.size() > member.size()
         && line.compare(line.size() - member.size() - 1, std::string::npos,
                         " " + member)
              == 0;
}

class RollingRestart : public temp_dir_test {
protected:
  /// Three members, a replay, each member restarted in turn, a second
  /// replay: exactly one node's outputs. With `tls` the members have
  /// certificates of one CA and apply the graph named in their
  /// configuration (`[cluster] graph`) instead of shoalctl.
  void restart_in_turn(bool tls);
};

void RollingRestart::restart_in_turn(bool tls) {
  std::vector<std::string> names{"n1", "n2", "n3"};
  auto ca = (dir_ / "ca").string();
  std::unique_ptr<ctl_identity> ctl;
  if (tls) {
    auto everyone = names;
    everyone.push_back("ctl");
    make_test_ca(ca, everyone);
    ctl = std::make_unique<ctl_identity>(identity(ca, "ctl"));
  }
  auto graph = write("rolling_graph.toml", rolling_graph);
  auto g = shoal::load_graph(graph);
  ASSERT_TRUE(g);
  // The reference: one node over both files in one replay, its outputs of
  // the second file.
  auto halves = make_two_halves(graph, 21, 2000, "rolling");
  ASSERT_FALSE(halves.want.empty());
  auto& want = halves.want;
  auto& input1 = halves.first;
  auto& input2 = halves.later;

  // Every member names every member as a seed, so that each can come back
  // through any of the others. A failure timeout far longer than a planned
  // leave but within the test: members that stopped hearing each other (a
  // route through a member that left) drop each other, and say so.
  std::vector<int> ports{free_loopback_port(), free_loopback_port(),
                         free_loopback_port()};
  std::vector<std::string> configs;
  std::vector<std::unique_ptr<member_process>> ms;
  for (size_t i = 0; i < names.size(); ++i) {
    auto tables = tls ? "graph = \"" + graph + "\"\n"
                          + security_table(identity(ca, names[i]))
                      : "";
    configs.push_back(
      write_member_config(names[i], ports[i], ports, "", tables, 10000));
    ms.push_back(std::make_unique<member_process>(configs[i]));
  }
  // What each member logged, over all its runs (a restart starts a new log).
  std::vector<std::string> logs(names.size());
  auto all_logs = [&] {
    std::string text;
    for (size_t i = 0; i < names.size(); ++i) {
      text += logs[i] + ms[i]->log();
      auto rc = ms[i]->wait_exit(0);
      if (rc != -1 || !ms[i]->running())
        text += names[i] + " is not running (" + std::to_string(rc) + ")\n";
    }
    return text;
  };
  for (auto port : ports)
    await_member_count(port, 3);
  if (!tls) {
    auto res = shoalctl(ports[0], "apply " + graph);
    ASSERT_EQ(res.exit_code, 0) << res.output << all_logs();
  }
  await_graph(ports[0], "ran on every member",
              [&](const std::vector<std::string>& lines) {
                return lines.size() == g->nodes.size()
                       && std::all_of(names.begin(), names.end(), [&](auto& n) {
                            return std::any_of(lines.begin(), lines.end(),
                                               [&](auto& l) {
                                                 return on(l, n);
                                               });
                          });
              });
  auto out1 = write("rolling_out1.csv", "");
  auto res = shoalctl(ports[0], "replay " + input1 + " --out " + out1);
  ASSERT_EQ(res.exit_code, 0) << res.output << all_logs();

  for (size_t i = 0; i < names.size(); ++i) {
    SCOPED_TRACE("restarting " + names[i]);
    ASSERT_EQ(::kill(ms[i]->pid(), SIGTERM), 0);
    ASSERT_EQ(ms[i]->wait_exit(60), 0) << ms[i]->log();
    EXPECT_NE(ms[i]->log().find("handed over "), std::string::npos)
      << ms[i]->log();
    EXPECT_EQ(ms[i]->log().find("did not finish"), std::string::npos)
      << ms[i]->log();
    logs[i] += ms[i]->log();
    ms[i] = std::make_unique<member_process>(configs[i]);
    for (auto port : ports)
      await_member_count(port, 3);
    ASSERT_FALSE(HasFailure()) << all_logs();
    // It learned the deployment, and re-balancing moved nodes to it: it is
    // part of the cluster again before the next one leaves.
    await_graph(ports[i], "placed a node on the restarted " + names[i],
                [&](const std::vector<std::string>& lines) {
                  return lines.size() == g->nodes.size()
                         && std::any_of(lines.begin(), lines.end(),
                                        [&](auto& l) {
                                          return on(l, names[i]);
                                        });
                });
  }

  // The state moved with the nodes at every leave and every return: the
  // second file continues from it.
  auto out2 = write("rolling_out2.csv", "");
  res = shoalctl(ports[0], "replay " + input2 + " --out " + out2);
  ASSERT_EQ(res.exit_code, 0) << res.output << all_logs();
  auto got = output_rows(read_file(out2));
  EXPECT_GT(want.size(), 100u);
  EXPECT_EQ(got.size(), want.size());
  EXPECT_TRUE(got == want);
  // Nobody stopped hearing anybody, and nothing was placed again cold.
  auto text = all_logs();
  EXPECT_EQ(text.find("no heartbeat"), std::string::npos) << text;
  EXPECT_EQ(text.find("refused"), std::string::npos) << text;
  for (auto port : ports) {
    auto status = shoalctl(port, "status --json");
    EXPECT_NE(status.output.find("\"nodes_failed_over\":0"), std::string::npos)
      << status.output << all_logs();
  }
}

} // namespace

TEST_F(RollingRestart, EveryMemberRestartedInTurnLosesNoStateAndNoOutput) {
  restart_in_turn(false);
}

TEST_F(RollingRestart, OverTlsWithTheGraphInTheConfigurationLosesNothing) {
  restart_in_turn(true);
}

TEST_F(RollingRestart, AMemberThatJoinsLearnsTheDeploymentWhenNothingMoves) {
  // One cell: moving it to the newcomer would not narrow the gap, so
  // re-balancing moves nothing.
  auto graph = write("rolling_one_cell.toml", R"(
[[sensor]]
name = "a.temp"
[[feature]]
name = "a.mean"
fn = "rolling_mean"
needs = ["a.temp"]
window = 2
emit = true
)");
  std::vector<int> ports{free_loopback_port(), free_loopback_port()};
  auto http = free_loopback_port();
  member_process n1{write_member_config("n1", ports[0], {ports[0]})};
  await_member_count(ports[0], 1);
  auto res = shoalctl(ports[0], "apply " + graph);
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log();
  member_process n2{
    write_member_config("n2", ports[1], {ports[0]},
                        "http = \"127.0.0.1:" + std::to_string(http) + "\"\n")};
  await_member_count(ports[1], 2);
  ASSERT_FALSE(HasFailure())
    << n1.log() << n2.log() << n1.wait_exit(0) << " " << n2.wait_exit(0);
  // Ready: joined, the graph deployed (no source to wait for).
  http_result last;
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    last = http_request(http, "GET", "/healthz");
    if (last.error.empty() && last.status == 200)
      break;
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(last.status, 200)
    << last.body << last.error << n2.log() << "n2 exited: " << n2.wait_exit(0)
    << " " << !n2.running();
  // The newcomer serves the graph, which still runs on n1 alone.
  auto placed = shoalctl(ports[1], "graph");
  ASSERT_EQ(placed.exit_code, 0) << placed.output << n2.log();
  auto lines = sorted_lines(placed.output);
  EXPECT_EQ(lines.size(), 2u) << placed.output;
  for (auto& line : lines)
    EXPECT_TRUE(on(line, "n1")) << placed.output;
}

// Issue 14, test (a): a replay in two halves; between them one member is
// restarted (SIGTERM, then started again) and another killed (kill -9).
// The planned leave hands the state over, the kill rolls every node back to
// the latest checkpoint, taken after the first half: the second half's
// outputs are exactly one node's over the whole stream.
TEST_F(RollingRestart, ARestartAndAKillBetweenTwoHalvesLoseNothing) {
  std::vector<std::string> names{"n1", "n2", "n3"};
  auto graph = write("halves_graph.toml", rolling_graph);
  auto g = shoal::load_graph(graph);
  ASSERT_TRUE(g);
  auto halves = make_two_halves(graph, 71, 2000, "halves");
  ASSERT_FALSE(halves.want.empty());
  auto& want = halves.want;
  auto& input1 = halves.first;
  auto& input2 = halves.later;
  std::vector<int> ports{free_loopback_port(), free_loopback_port(),
                         free_loopback_port()};
  std::vector<std::string> configs;
  std::vector<std::unique_ptr<member_process>> ms;
  for (size_t i = 0; i < names.size(); ++i) {
    configs.push_back(
      write_member_config(names[i], ports[i], ports,
                          "data_dir = \"" + (dir_ / names[i]).string() + "\"\n",
                          "checkpoint_interval_ms = 100\n", 1500));
    ms.push_back(std::make_unique<member_process>(configs[i]));
  }
  std::string earlier;
  auto all_logs = [&] {
    std::string text = earlier;
    for (auto& m : ms)
      text += m->log();
    return text;
  };
  for (auto port : ports)
    await_member_count(port, 3);
  auto res = shoalctl(ports[0], "apply " + graph);
  ASSERT_EQ(res.exit_code, 0) << res.output << all_logs();
  auto out1 = write("halves_out1.csv", "");
  res = shoalctl(ports[0], "replay " + input1 + " --out " + out1);
  ASSERT_EQ(res.exit_code, 0) << res.output << all_logs();
  // n2 restarts: a planned leave, then it joins again and takes nodes.
  ASSERT_EQ(::kill(ms[1]->pid(), SIGTERM), 0);
  ASSERT_EQ(ms[1]->wait_exit(60), 0) << ms[1]->log();
  earlier += ms[1]->log();
  ms[1] = std::make_unique<member_process>(configs[1]);
  for (auto port : ports)
    await_member_count(port, 3);
  await_graph(ports[0], "placed a node on the restarted n2",
              [&](const std::vector<std::string>& lines) {
                return lines.size() == g->nodes.size()
                       && std::any_of(lines.begin(), lines.end(), [&](auto& l) {
                            return on(l, "n2");
                          });
              });
  // A checkpoint of that placement (the leader then finds nothing changed
  // since and skips a round), then n3 dies.
  auto figure = [&](const std::string& key) {
    auto out = shoalctl(ports[0], "status --json").output;
    auto at = out.find("\"" + key + "\":");
    return at == std::string::npos
             ? uint64_t{0}
             : std::stoull(out.substr(at + key.size() + 3));
  };
  auto skipped = figure("rounds_skipped");
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while ((figure("committed") == 0 || figure("rounds_skipped") <= skipped)
         && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(100ms);
  ASSERT_GT(figure("rounds_skipped"), skipped) << all_logs();
  ms[2]->kill9();
  await_graph(ports[0], "placed n3's nodes on the others",
              [&](const std::vector<std::string>& lines) {
                return lines.size() == g->nodes.size()
                       && std::none_of(lines.begin(), lines.end(),
                                       [&](auto& l) {
                                         return on(l, "n3");
                                       });
              });
  auto out2 = write("halves_out2.csv", "");
  res = shoalctl(ports[0], "replay " + input2 + " --out " + out2);
  ASSERT_EQ(res.exit_code, 0) << res.output << all_logs();
  EXPECT_EQ(output_rows(read_file(out2)), want) << all_logs();
  EXPECT_NE(all_logs().find("nodes from checkpoint"), std::string::npos)
    << all_logs();
}
