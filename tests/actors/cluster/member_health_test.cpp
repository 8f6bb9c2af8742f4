// `/healthz` of a real member is a readiness check (SPEC section 10): 503
// with the reason while its MQTT source has no broker, 200 once the broker
// is up and the subscription acknowledged, 503 again while the broker is
// gone; and a publisher that starts as soon as it says 200 loses nothing.
// Real shoal-node processes and a real mosquitto; every wait polls with a
// generous deadline. A member restarted after SIGTERM gets the QoS 1
// samples published while it was down (its persistent MQTT session).

#include <chrono>
#include <gtest/gtest.h>
#include <string>
#include <thread>

#include "runtime/core/clock.hpp"
#include "runtime/io/mqtt_client.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/io_clients.hpp"
#include "tests/support/member_process.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal;
using namespace shoal::test_support;
using namespace std::chrono_literals;

namespace {

constexpr const char* health_graph = R"(
[[sensor]]
name = "plant.s1"

[[feature]]
name = "plant.s1.mean"
fn = "rolling_mean"
needs = ["plant.s1"]
window = 2
emit = true
)";

/// A one-member cluster that applies `health_graph` at start and reads
/// plant/# from `broker`; a generous lateness keeps slow deliveries on a
/// busy machine from counting as late.
std::string health_member(int port, uint16_t http,
                          const mosquitto_broker& broker) {
  auto graph = write_temp_file("health_graph.toml", health_graph);
  return write_member_config(
    "n1", port, {port}, "http = \"127.0.0.1:" + std::to_string(http) + "\"\n",
    "graph = \"" + graph + "\"\n[[source]]\nkind = \"mqtt\"\nurl = \""
      + broker.url()
      + "\"\ntopic = \"plant/#\"\nallowed_lateness_ns = 60000000000\n");
}

/// Polls /healthz until `done` holds for its answer or 60 s passed; every
/// answer before must be a 503 with a reason (`seen_200` tells otherwise).
template <class Pred>
http_result await_health(uint16_t http, Pred done, bool* seen_200 = nullptr) {
  auto deadline = std::chrono::steady_clock::now() + 60s;
  http_result last;
  for (;;) {
    last = http_request(http, "GET", "/healthz");
    if (last.error.empty() && done(last))
      return last;
    if (last.error.empty() && last.status == 200 && seen_200 != nullptr)
      *seen_200 = true;
    if (std::chrono::steady_clock::now() > deadline) {
      ADD_FAILURE() << "/healthz never answered as expected; last: "
                    << last.status << " " << last.body << last.error;
      return last;
    }
    std::this_thread::sleep_for(50ms);
  }
}

bool is_ok(const http_result& r) {
  return r.status == 200;
}

std::string metrics_of(uint16_t http) {
  return http_request(http, "GET", "/metrics").body;
}

/// Polls /metrics until it has the line `want` or 60 s passed; returns the
/// last page.
std::string await_metric(uint16_t http, const std::string& want) {
  auto deadline = std::chrono::steady_clock::now() + 60s;
  std::string page;
  for (;;) {
    page = metrics_of(http);
    if (page.find(want) != std::string::npos
        || std::chrono::steady_clock::now() > deadline)
      return page;
    std::this_thread::sleep_for(100ms);
  }
}

/// Publishes `n` samples of sensor s1 at QoS 1, stamped from now on.
void publish_samples(mqtt_client& pub, int n) {
  auto base = wall_clock_ns();
  for (int i = 0; i < n; ++i) {
    auto payload = "{\"ts\": " + std::to_string(base + i)
                   + ", \"value\": " + std::to_string(i) + "}";
    ASSERT_FALSE(pub.publish("plant/s1", payload, 1));
  }
}

/// Waits until member n1 at `http` accepted `n` samples and checks that it
/// rejected none.
void expect_all_accepted(uint16_t http, int n, const member_process& m) {
  auto want = "shoal_samples_total{member=\"n1\",reason=\"accepted\"} "
              + std::to_string(n) + "\n";
  auto metrics = await_metric(http, want);
  ASSERT_NE(metrics.find(want), std::string::npos) << metrics << m.log();
  for (auto reason : {"late", "out_of_order", "unknown_sensor", "malformed"})
    EXPECT_NE(metrics.find("shoal_samples_total{member=\"n1\",reason=\""
                           + std::string{reason} + "\"} 0\n"),
              std::string::npos)
      << reason << "\n"
      << metrics;
}

} // namespace

TEST(MemberHealth, FollowsTheBrokerOfItsSource) {
  mosquitto_broker broker;
  // Taken while the broker holds its port, so that neither is the same.
  auto port = free_loopback_port();
  auto http = free_loopback_port();
  broker.stop();
  member_process n1{health_member(port, http, broker)};
  auto missing
    = "not ready: source #1 (mqtt 127.0.0.1:" + std::to_string(broker.port())
      + " plant/#) is not connected\n";
  // Starting, joining, deploying: never ready while the broker is away,
  // and at last the reason names the source.
  bool seen_200 = false;
  auto res = await_health(
    http,
    [&](const http_result& r) {
      return r.status == 503 && r.body == missing;
    },
    &seen_200);
  EXPECT_FALSE(seen_200);
  EXPECT_EQ(res.body, missing) << n1.log();
  EXPECT_NE(metrics_of(http).find("\nshoal_ready 0\n"), std::string::npos);
  ASSERT_TRUE(broker.start());
  res = await_health(http, is_ok);
  EXPECT_EQ(res.body, "ok\n") << n1.log();
  EXPECT_NE(await_metric(http, "\nshoal_ready 1\n").find("\nshoal_ready 1\n"),
            std::string::npos);
  // The broker goes away and comes back: the member follows.
  broker.stop();
  res = await_health(http, [&](const http_result& r) {
    return r.status == 503;
  });
  EXPECT_EQ(res.body, missing) << n1.log();
  ASSERT_TRUE(broker.start());
  res = await_health(http, is_ok);
  EXPECT_EQ(res.body, "ok\n") << n1.log();
  EXPECT_TRUE(n1.running());
}

TEST(MemberHealth, APublisherThatStartsAtOkLosesNoSample) {
  mosquitto_broker broker;
  ASSERT_TRUE(broker.running());
  mqtt_client pub{net_address{"127.0.0.1", broker.port()}, nullptr, nullptr};
  ASSERT_FALSE(pub.start());
  ASSERT_TRUE(wait_until(
    [&] {
      return pub.ready();
    },
    30s));
  constexpr int samples = 200;
  // Each start is a new member: the window between starting and being
  // subscribed is there every time.
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE("start " + std::to_string(round + 1));
    auto port = free_loopback_port();
    auto http = free_loopback_port();
    member_process n1{health_member(port, http, broker)};
    ASSERT_TRUE(is_ok(await_health(http, is_ok))) << n1.log();
    // At once, as a client that waited for /healthz would.
    publish_samples(pub, samples);
    expect_all_accepted(http, samples, n1);
  }
}

TEST(MemberHealth, ARestartedMemberGetsWhatWasPublishedWhileItWasDown) {
  // The source's persistent session (the default): the broker keeps the
  // QoS 1 samples published while the member is down for client id
  // shoal-n1-1 and delivers them once the member is back.
  mosquitto_broker broker;
  ASSERT_TRUE(broker.running());
  mqtt_client pub{net_address{"127.0.0.1", broker.port()}, nullptr, nullptr};
  ASSERT_FALSE(pub.start());
  ASSERT_TRUE(wait_until(
    [&] {
      return pub.ready();
    },
    30s));
  {
    auto port = free_loopback_port();
    auto http = free_loopback_port();
    member_process n1{health_member(port, http, broker)};
    ASSERT_TRUE(is_ok(await_health(http, is_ok))) << n1.log();
    EXPECT_EQ(n1.stop(), 0) << n1.log(); // SIGTERM: a planned leave
  }
  constexpr int samples = 50;
  publish_samples(pub, samples);
  // Acknowledged by the broker: it holds them for the absent member.
  ASSERT_TRUE(wait_until([&] {
    return pub.queued() == 0;
  }));
  // The same member again (name and source; fresh ports so that no socket
  // of the old process is in the way).
  auto port = free_loopback_port();
  auto http = free_loopback_port();
  member_process n1{health_member(port, http, broker)};
  expect_all_accepted(http, samples, n1);
  EXPECT_TRUE(is_ok(await_health(http, is_ok))) << n1.log();
}
