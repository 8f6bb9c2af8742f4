// A member's live sources in its /status: the name, the watermark lag and
// the inbox backlog of its MQTT source, as its status collector asks the
// ingest_source actor every second.

#include <chrono>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "tests/support/http_client.hpp"
#include "tests/support/member_process.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal::test_support;

TEST(ClusterIo, StatusShowsEachSourcesLagAndBacklog) {
  mosquitto_broker broker;
  ASSERT_TRUE(broker.running());
  auto graph = write_temp_file("sources_http_graph.toml", two_cell_graph);
  auto port = free_loopback_port();
  auto http = free_loopback_port();
  member_process n1{write_member_config(
    "n1", port, {port}, "http = \"127.0.0.1:" + std::to_string(http) + "\"\n",
    "[[source]]\nkind = \"mqtt\"\nurl = \"" + broker.url()
      + "\"\ntopic = \"+/temp\"\nallowed_lateness_ns = 50000000\n")};
  await_member_count(port, 1);
  auto res = shoalctl(port, "apply " + graph);
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log();
  ASSERT_TRUE(await_log(n1, "member n1 started 1 source")) << n1.log();
  nlohmann::json sources;
  std::string body;
  for (int i = 0; i < 50 && sources.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto status = http_request(http, "GET", "/status");
    ASSERT_EQ(status.status, 200u) << status.error;
    body = status.body;
    sources = nlohmann::json::parse(body).at("sources");
  }
  ASSERT_EQ(sources.size(), 1u) << body;
  auto& s = sources[0];
  EXPECT_EQ(s.at("name"), "mqtt #1 mqtt://127.0.0.1:"
                            + std::to_string(broker.port()) + " +/temp")
    << body;
  // The allowed lateness (50 ms) plus at most a few ticks and the time the
  // answer took; well under a second on a loaded machine.
  auto lag = s.at("lag_ns").get<int64_t>();
  EXPECT_GE(lag, 50'000'000) << body;
  EXPECT_LT(lag, 1'000'000'000) << body;
  EXPECT_GT(s.at("watermark_ns").get<int64_t>(), 0) << body;
  EXPECT_EQ(s.at("full"), false) << body;
  EXPECT_EQ(s.at("refused"), 0) << body;
}
