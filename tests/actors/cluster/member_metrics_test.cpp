// Each member's /metrics as Prometheus scrapes it (docs/http.md, "Scraping
// a cluster"): a member exports only its own nodes' work; its counters only
// go up when nodes move to a member that joins; the sum over the members is
// the cluster's total in /status; the mailbox backlog never goes below zero
// and comes back to zero after a failover, through which counters do not
// go down either; MQTT connection state and
// reconnects follow a real broker. Real members on loopback.

#include <atomic>
#include <chrono>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
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

/// Every sample of a /metrics page: the series as written (name and
/// labels) -> value.
using series = std::map<std::string, double>;

series scrape(uint16_t http) {
  series out;
  std::istringstream lines{http_request(http, "GET", "/metrics").body};
  std::string line;
  while (std::getline(lines, line)) {
    auto space = line.rfind(' ');
    if (line.empty() || line[0] == '#' || space == std::string::npos)
      continue;
    out[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return out;
}

/// The sum of the series of `name` whose text contains `part`.
double sum_of(const series& s, const std::string& name,
              const std::string& part = "") {
  double sum = 0;
  for (auto& [key, value] : s)
    if (key.rfind(name + "{", 0) == 0 && key.find(part) != std::string::npos)
      sum += value;
  return sum;
}

/// The cluster's totals in /status: accepted samples, firings, outputs,
/// errors.
std::vector<double> status_totals(uint16_t http) {
  auto res = http_request(http, "GET", "/status");
  if (res.status != 200)
    return {};
  auto t = nlohmann::json::parse(res.body)["totals"];
  return {t["samples"]["accepted"].get<double>(), t["firings"].get<double>(),
          t["outputs"].get<double>(), t["errors"].get<double>()};
}

/// The same figures summed over the members' own /metrics.
std::vector<double> metrics_totals(const std::vector<series>& members) {
  std::vector<double> out(4, 0.0);
  for (auto& s : members) {
    out[0] += sum_of(s, "shoal_samples_total", "reason=\"accepted\"");
    out[1] += sum_of(s, "shoal_firings_total");
    out[2] += sum_of(s, "shoal_outputs_total");
    out[3] += sum_of(s, "shoal_errors_total");
  }
  return out;
}

/// Says which `_total` series of `before` are missing or lower in `after`;
/// per-node series go with their node when it moves, so they may be gone.
std::string went_down(const series& before, const series& after) {
  std::string out;
  for (auto& [key, value] : before) {
    if (key.find("_total") == std::string::npos
        || key.rfind("shoal_node_", 0) == 0)
      continue;
    auto i = after.find(key);
    if (i == after.end() || i->second < value)
      out += key + " " + std::to_string(value) + " -> "
             + (i == after.end() ? "gone" : std::to_string(i->second)) + "\n";
  }
  return out;
}

std::string http_line(uint16_t port) {
  return "http = \"127.0.0.1:" + std::to_string(port) + "\"\n";
}

} // namespace

TEST(MemberMetrics, CountersOnlyGoUpWhenNodesMoveAndSumToTheCluster) {
  auto graph = write_temp_file("metrics_move_graph.toml", two_cell_graph);
  auto g = shoal::load_graph(graph);
  ASSERT_TRUE(g);
  auto input1
    = write_temp_file("metrics_move_1.csv", random_input(*g, 7, 3000));
  auto input2
    = write_temp_file("metrics_move_2.csv", random_input(*g, 8, 3000, 500000));
  std::vector<int> ports{free_loopback_port(), free_loopback_port()};
  std::vector<uint16_t> http{free_loopback_port(), free_loopback_port()};
  // n1 shows a.mean and the node with the most errors one by one.
  member_process n1{write_member_config(
    "n1", ports[0], {ports[0]}, http_line(http[0]),
    "[http]\nnode_metrics = [\"a.*\"]\nnode_metrics_top = 1\n")};
  await_member_count(ports[0], 1);
  ASSERT_EQ(shoalctl(ports[0], "apply " + graph).exit_code, 0) << n1.log();
  auto out = write_temp_file("metrics_move_out.csv", "");
  auto res = shoalctl(ports[0], "replay " + input1 + " --out " + out);
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log();
  // n1 alone did everything: its counters are the cluster's.
  series before;
  ASSERT_TRUE(wait_until(
    [&] {
      before = scrape(http[0]);
      auto want = status_totals(http[0]);
      return want.size() == 4 && want[1] > 0
             && metrics_totals({before}) == want;
    },
    std::chrono::seconds(20)))
    << n1.log();
  EXPECT_GT(before["shoal_node_firings_total{member=\"n1\",node=\"a.mean\","
                   "kind=\"feature\"}"],
            0)
    << n1.log();
  EXPECT_EQ(before.count("shoal_node_firings_total{member=\"n1\",node=\"b."
                         "ewma\",kind=\"feature\"}"),
            0u);
  // n2 joins and a cell moves to it with its counters.
  member_process n2{
    write_member_config("n2", ports[1], {ports[0]}, http_line(http[1]))};
  ASSERT_TRUE(await_log(n1, "re-balanced: moved")) << n1.log() << n2.log();
  res = shoalctl(ports[0], "replay " + input2 + " --out " + out);
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log() << n2.log();
  std::vector<series> after;
  std::vector<double> want;
  bool settled = wait_until(
    [&] {
      after = {scrape(http[0]), scrape(http[1])};
      want = status_totals(http[0]);
      return sum_of(after[1], "shoal_nodes") > 0
             && metrics_totals(after) == want && status_totals(http[1]) == want;
    },
    std::chrono::seconds(30));
  auto got = metrics_totals(after);
  EXPECT_TRUE(settled) << "metrics " << got[0] << " " << got[1] << " " << got[2]
                       << " " << got[3] << "; status "
                       << (want.size() == 4 ? std::to_string(want[1]) : "-")
                       << "\n"
                       << n1.log() << n2.log();
  EXPECT_EQ(went_down(before, after[0]), "");
  // Each member exports itself only.
  for (auto& [key, value] : after[0])
    EXPECT_EQ(key.find("member=\"n2\""), std::string::npos) << key;
  for (auto& [key, value] : after[1])
    EXPECT_EQ(key.find("member=\"n1\""), std::string::npos) << key;
  // n2 counts only what it did since the nodes arrived: less than all.
  EXPECT_GT(sum_of(after[1], "shoal_firings_total"), 0);
  EXPECT_LT(sum_of(after[1], "shoal_firings_total"), want[1]);
}

TEST(MemberMetrics, BacklogAndCountersThroughAFailover) {
  auto graph = write_temp_file("metrics_backlog_graph.toml", two_cell_graph);
  auto g = shoal::load_graph(graph);
  ASSERT_TRUE(g);
  auto input
    = write_temp_file("metrics_backlog.csv", random_input(*g, 11, 400000));
  std::vector<int> ports;
  std::vector<uint16_t> http;
  std::vector<std::unique_ptr<member_process>> n;
  for (int i = 0; i < 3; ++i) {
    ports.push_back(free_loopback_port());
    http.push_back(free_loopback_port());
  }
  for (int i = 0; i < 3; ++i)
    n.push_back(std::make_unique<member_process>(
      write_member_config("n" + std::to_string(i + 1), ports[i], {ports[0]},
                          http_line(http[i]), "", 1500)));
  await_member_count(ports[0], 3);
  auto logs = [&] {
    std::string out;
    for (auto& m : n)
      out += m->log();
    return out;
  };
  ASSERT_EQ(shoalctl(ports[0], "apply " + graph).exit_code, 0) << logs();
  // The member that dies holds a cell and is not n1, which runs the replay.
  int doomed = -1;
  std::istringstream placed{shoalctl(ports[0], "graph").output};
  std::string line;
  while (std::getline(placed, line)) {
    auto member = line.substr(line.rfind(' ') + 1);
    if (member == "n2" || member == "n3")
      doomed = member[1] - '1';
  }
  ASSERT_TRUE(doomed == 1 || doomed == 2) << shoalctl(ports[0], "graph").output;
  std::vector<int> alive{0, 3 - doomed};
  auto backlog = [&](int i) {
    return sum_of(scrape(http[i]), "shoal_mailbox_backlog");
  };
  // A committed checkpoint lets the others take its nodes over.
  ASSERT_TRUE(wait_until(
    [&] {
      auto s = scrape(http[0]);
      auto i = s.find("shoal_checkpoint_committed");
      return i != s.end() && i->second > 0;
    },
    std::chrono::seconds(20)))
    << logs();
  auto out = write_temp_file("metrics_backlog_out.csv", "");
  std::atomic<bool> done{false};
  std::string replayed;
  std::thread replay{[&] {
    replayed = shoalctl(ports[0], "replay " + input + " --out " + out).output;
    done = true;
  }};
  // Killed once the replay is under way: its first outputs came back.
  wait_until(
    [&] {
      return done || read_file(out).size() > 1000;
    },
    std::chrono::seconds(20));
  bool during = !done;
  std::vector<series> before;
  for (int i : alive)
    before.push_back(scrape(http[i]));
  n[doomed]->kill9();
  double lowest = 0;
  while (!done) {
    for (int i : alive)
      lowest = std::min(lowest, backlog(i));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  replay.join();
  EXPECT_TRUE(during) << replayed;
  EXPECT_GE(lowest, 0) << logs();
  // The survivors took the dead member's nodes over from a checkpoint.
  EXPECT_TRUE(wait_until(
    [&] {
      return (n[0]->log() + n[alive[1]]->log()).find("from checkpoint")
             != std::string::npos;
    },
    std::chrono::seconds(30)))
    << replayed << logs();
  EXPECT_TRUE(wait_until(
    [&] {
      for (int i : alive) {
        auto b = backlog(i);
        lowest = std::min(lowest, b);
        if (b != 0)
          return false;
      }
      return true;
    },
    std::chrono::seconds(30)))
    << "backlog " << backlog(0) << " " << backlog(alive[1]) << "\n"
    << logs();
  EXPECT_GE(lowest, 0);
  // Every node of the survivors resumed from the checkpoint, with the
  // counters it had then: their members' counters did not go down.
  for (size_t k = 0; k < alive.size(); ++k)
    EXPECT_EQ(went_down(before[k], scrape(http[alive[k]])), "")
      << "n" << alive[k] + 1;
}

TEST(MemberMetrics, MqttConnectionStateAndReconnects) {
  mosquitto_broker broker;
  ASSERT_TRUE(broker.running());
  auto graph = write_temp_file("metrics_mqtt_graph.toml", two_cell_graph);
  auto port = free_loopback_port();
  auto http = free_loopback_port();
  member_process n1{write_member_config(
    "n1", port, {port}, http_line(http),
    "[[source]]\nkind = \"mqtt\"\nurl = \"" + broker.url()
      + "\"\ntopic = \"+/temp\"\n[[sink]]\nkind = \"mqtt\"\nurl = \""
      + broker.url() + "\"\ntopic_prefix = \"out\"\n")};
  await_member_count(port, 1);
  ASSERT_EQ(shoalctl(port, "apply " + graph).exit_code, 0) << n1.log();
  auto source = "source=\"" + broker.url() + " +/temp\"";
  auto sink = "sink=\"" + broker.url() + " out\"";
  auto value = [&](const std::string& name, const std::string& who) {
    return sum_of(scrape(http), name, who);
  };
  auto connected = [&](double want) {
    return wait_until(
      [&] {
        return value("shoal_mqtt_connected", source) == want
               && value("shoal_mqtt_connected", sink) == want;
      },
      std::chrono::seconds(30));
  };
  ASSERT_TRUE(connected(1)) << scrape(http).size() << n1.log();
  auto pub
    = run_command("mosquitto_pub -h 127.0.0.1 -p "
                  + std::to_string(broker.port()) + " -q 1 -t a/temp -m 21.5");
  ASSERT_EQ(pub.exit_code, 0) << pub.output;
  EXPECT_TRUE(wait_until(
    [&] {
      return value("shoal_mqtt_messages_received_total", source) == 1;
    },
    std::chrono::seconds(20)))
    << n1.log();
  auto page = scrape(http);
  EXPECT_EQ(page.count("shoal_mqtt_dropped_total{member=\"n1\"," + sink
                       + ",reason=\"disconnected\"}"),
            1u);
  EXPECT_EQ(page.count("shoal_mqtt_dropped_total{member=\"n1\"," + source
                       + ",reason=\"malformed\"}"),
            1u);
  EXPECT_EQ(value("shoal_mqtt_reconnects_total", source), 0);
  broker.stop();
  EXPECT_TRUE(connected(0)) << n1.log();
  ASSERT_TRUE(broker.start());
  EXPECT_TRUE(connected(1)) << n1.log();
  EXPECT_TRUE(wait_until(
    [&] {
      return value("shoal_mqtt_reconnects_total", source) >= 1
             && value("shoal_mqtt_reconnects_total", sink) >= 1;
    },
    std::chrono::seconds(20)))
    << n1.log();
}
