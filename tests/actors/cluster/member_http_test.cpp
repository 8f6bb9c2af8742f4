// Members started with `[node] http` serve the HTTP endpoint (SPEC section
// 8) for the whole cluster: after an apply, /metrics, /status and the page
// of either member show both members and every node with its placement.

#include <chrono>
#include <ctime>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/headless_browser.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/member_process.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal::test_support;

namespace {

/// Polls /status until it shows `members` members and `nodes` placed nodes.
nlohmann::json await_status(uint16_t http, size_t members, size_t nodes) {
  std::string last;
  for (int i = 0; i < 100; ++i) {
    auto res = http_request(http, "GET", "/status");
    if (res.error.empty() && res.status == 200) {
      last = res.body;
      auto doc = nlohmann::json::parse(res.body);
      size_t placed = 0;
      for (auto& n : doc["nodes"])
        placed += n["member"].get<std::string>().empty() ? 0 : 1;
      if (doc["members"].size() == members && placed == nodes)
        return doc;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ADD_FAILURE() << "status never showed " << members << " members and " << nodes
                << " nodes; last: " << last;
  return {};
}

} // namespace

TEST(ClusterHttp, BothMembersServeTheClusterStatus) {
  auto graph = write_temp_file("http_cluster_graph.toml", two_cell_graph);
  std::vector<int> ports{free_loopback_port(), free_loopback_port()};
  std::vector<uint16_t> http{free_loopback_port(), free_loopback_port()};
  member_process n1{write_member_config(
    "n1", ports[0], {ports[0]},
    "http = \"127.0.0.1:" + std::to_string(http[0]) + "\"\n")};
  member_process n2{write_member_config(
    "n2", ports[1], {ports[0]},
    "http = \"127.0.0.1:" + std::to_string(http[1]) + "\"\n")};
  await_member_count(ports[0], 2);
  await_member_count(ports[1], 2);
  EXPECT_NE(
    n1.log().find("member n1 http on 127.0.0.1:" + std::to_string(http[0])),
    std::string::npos)
    << n1.log();
  auto res = shoalctl(ports[1], "apply " + graph);
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log() << n2.log();
  for (auto port : http) {
    auto doc = await_status(port, 2, 5);
    ASSERT_FALSE(doc.is_null());
    std::set<std::string> names;
    for (auto& m : doc["members"]) {
      names.insert(m["name"].get<std::string>());
      EXPECT_TRUE(m["alive"].get<bool>()) << m;
    }
    EXPECT_EQ(names, (std::set<std::string>{"n1", "n2"}));
    std::map<std::string, std::string> where;
    for (auto& n : doc["nodes"])
      where[n["name"].get<std::string>()] = n["member"].get<std::string>();
    // Each sensor's chain stays on one member; the two chains differ.
    EXPECT_EQ(where["a.temp"], where["a.mean"]);
    EXPECT_EQ(where["a.temp"], where["m.sum"]);
    EXPECT_EQ(where["b.temp"], where["b.ewma"]);
    EXPECT_NE(where["a.temp"], where["b.temp"]);
    uint64_t placed = 0;
    for (auto& m : doc["members"])
      placed += m["nodes"].get<uint64_t>();
    EXPECT_EQ(placed, 5u) << doc["members"];
  }
  auto metrics = http_request(http[0], "GET", "/metrics?scope=cluster");
  ASSERT_EQ(metrics.status, 200u) << metrics.error;
  EXPECT_NE(metrics.body.find("shoal_members{state=\"alive\"} 2"),
            std::string::npos)
    << metrics.body;
  for (auto member : {"n1", "n2"})
    EXPECT_NE(metrics.body.find("shoal_nodes{member=\"" + std::string{member}
                                + "\",kind=\"sensor\"} 1"),
              std::string::npos)
      << metrics.body;
  // The serving process, as every Prometheus client exports it, and the
  // build.
  auto value_of = [&](const std::string& name) {
    auto at = metrics.body.find("\n" + name + " ");
    if (at == std::string::npos)
      return -1.0;
    return std::stod(metrics.body.substr(at + name.size() + 2));
  };
  EXPECT_GT(value_of("process_resident_memory_bytes"), 1e6) << metrics.body;
  EXPECT_GT(value_of("process_virtual_memory_bytes"), 1e6) << metrics.body;
  EXPECT_GT(value_of("process_open_fds"), 3.0) << metrics.body;
  EXPECT_GE(value_of("process_max_fds"), value_of("process_open_fds"));
  EXPECT_GE(value_of("process_cpu_seconds_total"), 0.0) << metrics.body;
  // Started within the last hour.
  auto started = value_of("process_start_time_seconds");
  auto now = static_cast<double>(std::time(nullptr));
  EXPECT_LE(started, now + 1) << metrics.body;
  EXPECT_GT(started, now - 3600) << metrics.body;
  EXPECT_NE(metrics.body.find("shoal_build_info{version=\""), std::string::npos)
    << metrics.body;
  // Checkpoints: the leader n1 commits rounds (every second by default).
  std::string ck_body;
  for (int i = 0; i < 100; ++i) {
    ck_body = http_request(http[0], "GET", "/metrics").body;
    if (ck_body.find("shoal_checkpoint_committed 0") == std::string::npos
        && ck_body.find("shoal_checkpoint_committed ") != std::string::npos)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (auto name : {"shoal_checkpoint_committed ",
                    "shoal_checkpoint_rounds_total{result=\"committed\"} ",
                    "shoal_checkpoint_last_duration_seconds ",
                    "shoal_checkpoint_store_bytes ",
                    "shoal_nodes_failed_over_total{state=\"warm\"} 0"})
    EXPECT_NE(ck_body.find(name), std::string::npos) << name << ck_body;
  EXPECT_EQ(ck_body.find("shoal_checkpoint_committed 0"), std::string::npos)
    << ck_body;
  auto health = http_request(http[1], "GET", "/healthz");
  EXPECT_EQ(health.status, 200u) << health.error;
  EXPECT_NE(health.body.find("ok"), std::string::npos);
  // The page draws the cluster's graph without console errors.
  auto page = load_page("http://127.0.0.1:" + std::to_string(http[1]) + "/");
  ASSERT_EQ(page.error, "") << page.log;
  for (auto& line : console_problems(page.log))
    ADD_FAILURE() << "console: " << line;
  EXPECT_NE(page.dom.find("id=\"state\" class=\"live\""), std::string::npos);
  EXPECT_EQ(count_of(page.dom, "data-node=\""), 5u);
  EXPECT_NE(page.dom.find("data-node=\"m.sum\""), std::string::npos);
  EXPECT_TRUE(n1.running() && n2.running());
}
