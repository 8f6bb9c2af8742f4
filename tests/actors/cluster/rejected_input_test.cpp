// Why input was rejected, end to end (issue 17): real members fed
// malformed MQTT payloads, timestamps in milliseconds and unknown sensors
// over MQTT and TCP show the reasons in /status, in `shoalctl status` (text
// and -o json) and once each in the member's log; in a cluster, the
// leader's shoalctl status and /status show a reason recorded on the other
// member.

#include <chrono>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "runtime/core/clock.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/io_clients.hpp"
#include "tests/support/member_process.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

const char* graph_text = R"(
[[sensor]]
name = "plant.a"
[[feature]]
name = "plant.a.mean"
fn = "rolling_mean"
needs = ["plant.a"]
window = 2
emit = true
)";

/// The member `name`'s object in `members` (an array of objects with
/// `key` naming the member); null if absent.
nlohmann::json member_of(const nlohmann::json& members, const char* key,
                         const std::string& name) {
  if (!members.is_array())
    return nullptr;
  for (auto& m : members)
    if (m.value(key, "") == name)
      return m;
  return nullptr;
}

/// The reason with `reason` among `rejects["reasons"]`; null if absent.
nlohmann::json reason_of(const nlohmann::json& rejects,
                         const std::string& reason) {
  if (!rejects.is_object() || !rejects.contains("reasons"))
    return nullptr;
  for (auto& r : rejects["reasons"])
    if (r["reason"] == reason)
      return r;
  return nullptr;
}

bool has_unknown(const nlohmann::json& rejects, const std::string& name) {
  if (!rejects.is_object() || !rejects.contains("unknown_sensors"))
    return false;
  for (auto& u : rejects["unknown_sensors"])
    if (u["name"] == name)
      return true;
  return false;
}

/// Polls `shoalctl status -o json` at `port` until `ok` holds for the
/// rejected input of member `name`; returns it (null on timeout).
nlohmann::json
await_ctl_rejects(int port, const std::string& name,
                  const std::function<bool(const nlohmann::json&)>& ok) {
  nlohmann::json last;
  for (int i = 0; i < 300; ++i) {
    auto res = shoalctl(port, "status -o json");
    if (res.exit_code == 0) {
      auto doc = nlohmann::json::parse(res.output, nullptr, false);
      if (!doc.is_discarded()) {
        last = member_of(doc["rejected_input"], "member", name);
        if (!last.is_null() && ok(last))
          return last;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ADD_FAILURE() << "shoalctl status never showed the rejects; last: " << last;
  return nullptr;
}

/// The same through /status at `http`.
nlohmann::json
await_http_rejects(uint16_t http, const std::string& name,
                   const std::function<bool(const nlohmann::json&)>& ok) {
  nlohmann::json last;
  for (int i = 0; i < 300; ++i) {
    auto res = http_request(http, "GET", "/status");
    if (res.error.empty() && res.status == 200) {
      auto doc = nlohmann::json::parse(res.body);
      auto m = member_of(doc["members"], "name", name);
      if (!m.is_null()) {
        last = m["rejected_input"];
        if (ok(last))
          return last;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ADD_FAILURE() << "/status never showed the rejects; last: " << last;
  return nullptr;
}

void publish(const mosquitto_broker& broker, const std::string& topic,
             const std::string& payload) {
  auto res = run_command("mosquitto_pub -p " + std::to_string(broker.port())
                         + " -t " + topic + " -m '" + payload + "'");
  ASSERT_EQ(res.exit_code, 0) << res.output;
}

} // namespace

TEST(RejectedInput, ShowsWhyInStatusShoalctlAndTheLog) {
  mosquitto_broker broker;
  ASSERT_TRUE(broker.running());
  auto graph = write_temp_file("rejected_graph.toml", graph_text);
  auto port = free_loopback_port();
  auto http = free_loopback_port();
  auto tcp = free_loopback_port();
  member_process n1{write_member_config(
    "n1", port, {port}, "http = \"127.0.0.1:" + std::to_string(http) + "\"\n",
    "[[source]]\nkind = \"mqtt\"\nurl = \"" + broker.url()
      + "\"\ntopic = \"plant/#\"\n[[source]]\nkind = \"tcp\"\nlisten = "
        "\"127.0.0.1:"
      + std::to_string(tcp) + "\"\n")};
  await_member_count(port, 1);
  auto res = shoalctl(port, "apply " + graph);
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log();
  ASSERT_TRUE(wait_until([&] {
    return http_request(http, "GET", "/healthz").status == 200;
  }))
    << n1.log();
  auto ms = std::to_string(wall_clock_ns() / 1'000'000);
  publish(broker, "plant/a", R"({"ts": "2026-12-05T10:00:00Z", "value": 1})");
  publish(broker, "plant/a", R"({"ts": )" + ms + R"(, "value": 2})");
  publish(broker, "plant/zzz", "1.5");
  msgpack_client client{static_cast<uint16_t>(tcp)};
  ASSERT_TRUE(client.send_sample("plant.nope\x1b[2J", wall_clock_ns(), 1.0));
  auto complete = [](const nlohmann::json& r) {
    return !reason_of(r, "malformed").is_null()
           && !reason_of(r, "late").is_null() && has_unknown(r, "plant.zzz")
           && has_unknown(r, "plant.nope\\x1b[2J");
  };
  auto got = await_http_rejects(http, "n1", complete);
  ASSERT_FALSE(got.is_null()) << n1.log();
  auto bad = reason_of(got, "malformed");
  EXPECT_EQ(bad["source"].get<std::string>().rfind("mqtt #1 ", 0), 0u) << bad;
  EXPECT_EQ(bad["origin"], "mqtt topic plant/a") << bad;
  EXPECT_EQ(bad["example"], R"({"ts": "2026-12-05T10:00:00Z", "value": 1})");
  EXPECT_NE(
    bad["text"].get<std::string>().find("integer nanoseconds since the epoch"),
    std::string::npos)
    << bad;
  EXPECT_EQ(bad["count"], 1u);
  auto late = reason_of(got, "late");
  EXPECT_NE(late["text"].get<std::string>().find("looks like milliseconds"),
            std::string::npos)
    << late;
  EXPECT_EQ(late["sensor"], "plant.a");
  auto unknown = reason_of(got, "unknown_sensor");
  ASSERT_FALSE(unknown.is_null()) << got;
  // shoalctl status has the same, as JSON and as text.
  auto ctl = await_ctl_rejects(port, "n1", complete);
  ASSERT_FALSE(ctl.is_null());
  EXPECT_EQ(reason_of(ctl, "malformed"), bad);
  res = shoalctl(port, "status");
  EXPECT_EQ(res.exit_code, 0) << res.output;
  EXPECT_NE(res.output.find("rejected input"), std::string::npos) << res.output;
  EXPECT_NE(res.output.find("unknown sensors:"), std::string::npos)
    << res.output;
  EXPECT_EQ(res.output.find('\x1b'), std::string::npos) << res.output;
  // The log says each reason once, with fields a log reader selects on.
  auto log = n1.log();
  EXPECT_NE(log.find("level=warn"), std::string::npos) << log;
  EXPECT_NE(log.find("source=\"mqtt #1 "), std::string::npos) << log;
  EXPECT_NE(log.find("\" reason=malformed sensor="), std::string::npos) << log;
  EXPECT_NE(log.find("source=\"tcp #2 "), std::string::npos) << log;
  EXPECT_NE(log.find("\" reason=unknown_sensor sensor="), std::string::npos)
    << log;
  EXPECT_EQ(log.find('\x1b'), std::string::npos) << log;
}

TEST(RejectedInput, TheLeaderShowsWhatTheOtherMemberRejected) {
  auto graph = write_temp_file("rejected_cluster_graph.toml", two_cell_graph);
  std::vector<int> ports{free_loopback_port(), free_loopback_port()};
  auto http = free_loopback_port();
  auto tcp = free_loopback_port();
  member_process n1{
    write_member_config("n1", ports[0], {ports[0]},
                        "http = \"127.0.0.1:" + std::to_string(http) + "\"\n")};
  await_member_count(ports[0], 1);
  member_process n2{
    write_member_config("n2", ports[1], {ports[0]}, "",
                        "[[source]]\nkind = \"tcp\"\nlisten = \"127.0.0.1:"
                          + std::to_string(tcp) + "\"\n")};
  await_member_count(ports[0], 2);
  auto res = shoalctl(ports[0], "apply " + graph);
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log() << n2.log();
  ASSERT_TRUE(wait_until([&] {
    return port_accepts(static_cast<uint16_t>(tcp));
  }))
    << n2.log();
  msgpack_client client{static_cast<uint16_t>(tcp)};
  ASSERT_TRUE(client.send_sample("c.temp", wall_clock_ns(), 1.0));
  auto seen = [](const nlohmann::json& r) {
    return has_unknown(r, "c.temp");
  };
  auto ctl = await_ctl_rejects(ports[0], "n2", seen);
  ASSERT_FALSE(ctl.is_null()) << n2.log();
  auto unknown = reason_of(ctl, "unknown_sensor");
  EXPECT_EQ(unknown["source"].get<std::string>().rfind("tcp #1 ", 0), 0u)
    << ctl;
  EXPECT_EQ(unknown["sensor"], "c.temp") << ctl;
  // n1's /status gathers n2's reasons too.
  auto got = await_http_rejects(http, "n2", seen);
  EXPECT_FALSE(got.is_null()) << n1.log();
}
