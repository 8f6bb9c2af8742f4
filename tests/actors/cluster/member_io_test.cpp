// Live sources and sinks in cluster members: samples published to the MQTT
// broker of one member's source reach their sensors on either member, and
// the outputs of nodes on both members land in another member's jsonl sink.

#include <atomic>
#include <chrono>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/http_client.hpp"
#include "tests/support/member_process.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal::test_support;

namespace {} // namespace

TEST(ClusterIo, SamplesAtOneMemberGiveOutputsAtAnother) {
  mosquitto_broker broker;
  ASSERT_TRUE(broker.running());
  auto graph = write_temp_file("io_cluster_graph.toml", two_cell_graph);
  auto out = write_temp_file("io_cluster_out.jsonl", "");
  std::vector<int> ports{free_loopback_port(), free_loopback_port()};
  auto http = free_loopback_port();
  // n1 has the source (and http, to see its endpoint); n2 the sink. Tables
  // come after [cluster], so they are appended to n1's text.
  member_process n1{write_member_config(
    "n1", ports[0], {ports[0]},
    "http = \"127.0.0.1:" + std::to_string(http) + "\"\n",
    "[[source]]\nkind = \"mqtt\"\nurl = \"" + broker.url()
      + "\"\ntopic = \"+/temp\"\nallowed_lateness_ns = 50000000\n")};
  member_process n2{write_member_config("n2", ports[1], {ports[0]}, "",
                                        "[[sink]]\nkind = \"jsonl\"\npath = \""
                                          + out + "\"\n")};
  await_member_count(ports[0], 2);
  await_member_count(ports[1], 2);
  auto res = shoalctl(ports[1], "apply " + graph);
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log() << n2.log();
  auto placed = shoalctl(ports[0], "graph").output;
  EXPECT_NE(placed.find("m.sum n1"), std::string::npos) << placed;
  EXPECT_NE(placed.find("b.ewma n2"), std::string::npos) << placed;
  ASSERT_TRUE(await_log(n1, "member n1 started 1 source"))
    << n1.log() << n2.log();
  ASSERT_TRUE(await_log(n2, "member n2 wired its sink to 2 nodes"))
    << n1.log() << n2.log();
  auto pub = [&](const std::string& topic, double value) {
    auto r = run_command("mosquitto_pub -h 127.0.0.1 -p "
                         + std::to_string(broker.port()) + " -q 1 -t " + topic
                         + " -m " + std::to_string(value));
    ASSERT_EQ(r.exit_code, 0) << r.output;
  };
  for (int i = 0; i < 10; ++i) {
    pub("a/temp", 20.0 + i);
    pub("b/temp", 5.0 + i);
  }
  // Outputs of both members' nodes reach n2's file.
  size_t from_a = 0, from_b = 0;
  std::string text;
  for (int i = 0; i < 150 && (from_a == 0 || from_b == 0); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    text = read_file(out);
    std::istringstream in{text};
    std::string line;
    from_a = from_b = 0;
    while (std::getline(in, line)) {
      auto doc = nlohmann::json::parse(line);
      auto node = doc["node"].get<std::string>();
      from_a += node == "m.sum" ? 1 : 0;
      from_b += node == "b.ewma" ? 1 : 0;
    }
  }
  EXPECT_GT(from_a, 0u) << text << n1.log() << n2.log();
  EXPECT_GT(from_b, 0u) << text << n1.log() << n2.log();
  // n1's status shows its source's endpoint and the counters of the nodes
  // on both members (refreshed every second).
  nlohmann::json doc;
  std::string body;
  for (int i = 0; i < 50; ++i) {
    auto status = http_request(http, "GET", "/status");
    ASSERT_EQ(status.status, 200u) << status.error;
    body = status.body;
    doc = nlohmann::json::parse(body);
    uint64_t sum_firings = 0, b_samples = 0;
    for (auto& n : doc["nodes"]) {
      if (n["name"] == "m.sum")
        sum_firings = n["firings"].get<uint64_t>();
      if (n["name"] == "b.temp")
        b_samples = n["samples"]["accepted"].get<uint64_t>();
    }
    if (sum_firings > 0 && b_samples == 10)
      break;
    doc = nullptr;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_FALSE(doc.is_null()) << "counters never arrived: " << body;
  EXPECT_GT(doc["totals"]["firings"].get<uint64_t>(), 0u) << body;
  ASSERT_EQ(doc["endpoints"].size(), 1u) << body;
  EXPECT_EQ(doc["endpoints"][0]["kind"], "mqtt source") << body;
  EXPECT_GE(doc["endpoints"][0]["messages"].get<uint64_t>(), 20u);
  // A payload the source cannot parse, and a sensor the graph does not
  // have, count for n1 in the metrics with their reasons.
  auto garbage = run_command("mosquitto_pub -h 127.0.0.1 -p "
                             + std::to_string(broker.port())
                             + " -q 1 -t a/temp -m not-a-number");
  ASSERT_EQ(garbage.exit_code, 0) << garbage.output;
  pub("c/temp", 1.0);
  std::string metrics;
  bool counted = false;
  for (int i = 0; i < 50 && !counted; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    metrics = http_request(http, "GET", "/metrics").body;
    counted
      = metrics.find(
          "shoal_samples_total{member=\"n1\",reason=\"malformed\"} 1")
          != std::string::npos
        && metrics.find(
             "shoal_samples_total{member=\"n1\",reason=\"unknown_sensor\"} 1")
             != std::string::npos;
  }
  EXPECT_TRUE(counted) << metrics;
  // The latency of the outputs n2's sink received is in n1's cluster-wide
  // metrics too.
  bool measured = false;
  for (int i = 0; i < 50 && !measured; ++i) {
    metrics = http_request(http, "GET", "/metrics?scope=cluster").body;
    auto at = metrics.find("shoal_output_latency_seconds_count ");
    measured
      = at != std::string::npos && metrics.compare(at + 35, 2, "0\n") != 0;
    if (!measured)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(measured) << metrics;
  EXPECT_TRUE(n1.running() && n2.running());
}

TEST(ClusterIo, ShoalctlTailPrintsLiveOutputs) {
  mosquitto_broker broker;
  ASSERT_TRUE(broker.running());
  auto graph = write_temp_file("tail_graph.toml", two_cell_graph);
  auto port = free_loopback_port();
  member_process n1{write_member_config(
    "n1", port, {port}, "",
    "[[source]]\nkind = \"mqtt\"\nurl = \"" + broker.url()
      + "\"\ntopic = \"+/temp\"\nallowed_lateness_ns = 0\n")};
  await_member_count(port, 1);
  auto res = shoalctl(port, "apply " + graph);
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log();
  ASSERT_TRUE(await_log(n1, "member n1 started 1 source")) << n1.log();
  // Unknown nodes are refused.
  res = shoalctl(port, "tail b.ewma nope");
  EXPECT_EQ(res.exit_code, 1);
  EXPECT_NE(res.output.find("unknown node 'nope'"), std::string::npos)
    << res.output;
  ctl_result tailed;
  std::atomic<bool> finished{false};
  std::thread tail{[&] {
    tailed = shoalctl(port, "tail b.ewma --count 3");
    finished = true;
  }};
  // Publish until the tail has what it waits for (it subscribes first).
  for (int i = 0; i < 100 && !finished; ++i) {
    run_command("mosquitto_pub -h 127.0.0.1 -p " + std::to_string(broker.port())
                + " -t b/temp -m " + std::to_string(10 + i));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  tail.join();
  EXPECT_EQ(tailed.exit_code, 0) << tailed.output;
  std::istringstream lines{tailed.output};
  std::string line;
  size_t n = 0;
  while (std::getline(lines, line)) {
    EXPECT_EQ(line.rfind("b.ewma ", 0), 0u) << line;
    ++n;
  }
  EXPECT_EQ(n, 3u) << tailed.output;
}

namespace {

/// Counts the lines of the jsonl file at `path` whose node is `node`.
size_t jsonl_rows(const std::string& path, const std::string& node) {
  std::istringstream in{read_file(path)};
  std::string line;
  size_t n = 0;
  while (std::getline(in, line))
    if (!line.empty() && nlohmann::json::parse(line)["node"] == node)
      ++n;
  return n;
}

} // namespace

TEST(ClusterIo, LiveSourcesFollowAFailoverAndAReplayRunsBesideThem) {
  mosquitto_broker broker;
  ASSERT_TRUE(broker.running());
  auto graph = write_temp_file("follow_graph.toml", two_cell_graph);
  auto out = write_temp_file("follow_out.jsonl", "");
  std::vector<int> ports{free_loopback_port(), free_loopback_port(),
                         free_loopback_port()};
  // n1 (the leader, which survives) has the source and the sink.
  member_process n1{write_member_config(
    "n1", ports[0], {ports[0]}, "",
    "[[source]]\nkind = \"mqtt\"\nurl = \"" + broker.url()
      + "\"\ntopic = \"+/temp\"\nallowed_lateness_ns = 50000000\n"
        "[[sink]]\nkind = \"jsonl\"\npath = \""
      + out + "\"\n")};
  member_process n2{write_member_config("n2", ports[1], {ports[0]})};
  member_process n3{write_member_config("n3", ports[2], {ports[0]})};
  await_member_count(ports[0], 3);
  await_member_count(ports[2], 3);
  auto res = shoalctl(ports[0], "apply " + graph);
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log();
  auto placed = shoalctl(ports[0], "graph").output;
  ASSERT_NE(placed.find("b.temp n2"), std::string::npos) << placed;
  ASSERT_TRUE(await_log(n1, "member n1 started 1 source")) << n1.log();
  auto pub = [&](const std::string& topic, double value) {
    run_command("mosquitto_pub -h 127.0.0.1 -p " + std::to_string(broker.port())
                + " -q 1 -t " + topic + " -m " + std::to_string(value));
  };
  auto feed_until = [&](size_t rows) {
    for (int i = 0; i < 100 && jsonl_rows(out, "b.ewma") < rows; ++i) {
      pub("a/temp", 20.0 + i);
      pub("b/temp", 5.0 + i);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return jsonl_rows(out, "b.ewma");
  };
  // b.ewma runs on n2 and reaches n1's sink.
  auto before = feed_until(3);
  ASSERT_GE(before, 3u) << n1.log() << n2.log();
  // n2 dies: its sensor and feature start again on n3, the source at n1
  // feeds the new sensor, and n1's sink listens to the new feature.
  n2.kill9();
  ASSERT_TRUE(await_log(n1, "re-bound 1 source to 2 sensors")) << n1.log();
  placed = shoalctl(ports[0], "graph").output;
  EXPECT_NE(placed.find("b.temp n3"), std::string::npos) << placed;
  auto after = feed_until(before + 3);
  EXPECT_GE(after, before + 3) << n1.log() << n3.log();
  // A replay beside the live source: its timestamps are far behind what the
  // live source delivered, so the sensors reject them (out of order), and
  // it ends without disturbing the live stream.
  auto input = write_temp_file("follow_input.csv",
                               "sensor,ts,value\na.temp,1000,1\nb.temp,1001,2\n"
                               "a.temp,1002,3\n");
  auto replayed = write_temp_file("follow_replayed.csv", "");
  res = shoalctl(ports[2], "replay " + input + " --out " + replayed);
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log() << n3.log();
  EXPECT_NE(res.output.find("0 outputs"), std::string::npos) << res.output;
  auto status = shoalctl(ports[0], "status --json").output;
  auto doc = nlohmann::json::parse(status);
  uint64_t rejected = 0;
  for (auto& n : doc["nodes"])
    rejected += n["samples_rejected"].get<uint64_t>();
  EXPECT_GE(rejected, 3u) << status;
  EXPECT_GE(feed_until(after + 3), after + 3) << n1.log() << n3.log();
}
