// Live samples a failover takes back (SPEC section 10): a TCP source's
// samples that a sensor accepted after the latest committed checkpoint are
// gone when its member dies and every node resumes from that checkpoint;
// nothing sends them again, so the members count them, in `/metrics` and in
// `shoalctl status`. Three real members on loopback, each with a TCP source
// and the HTTP endpoint.

#include <chrono>
#include <gtest/gtest.h>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "runtime/core/clock.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/io_clients.hpp"
#include "tests/support/member_process.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal::test_support;

namespace {

const char* ewma_graph = R"(
[[sensor]]
name = "a.temp"
[[feature]]
name = "a.ewma"
fn = "ewma"
needs = ["a.temp"]
alpha = 0.5
emit = true
)";

/// The sum of the samples `shoal_samples_total` says were accepted, and the
/// value of `name`, in the metrics `body` (-1 where absent).
int64_t metric(const std::string& body, const std::string& name) {
  std::istringstream lines{body};
  std::string line;
  int64_t sum = -1;
  while (std::getline(lines, line)) {
    if (line.rfind(name, 0) != 0 || line.find(' ') == std::string::npos)
      continue;
    if (name == "shoal_samples_total"
        && line.find("reason=\"accepted\"") == std::string::npos)
      continue;
    sum = std::max<int64_t>(sum, 0)
          + std::stoll(line.substr(line.rfind(' ') + 1));
  }
  return sum;
}

/// The newest committed checkpoint `shoalctl status --json` reports.
uint64_t committed(int port) {
  auto out = shoalctl(port, "status --checkpoint --json").output;
  std::smatch m;
  static const std::regex re{R"re("committed":(\d+))re"};
  return std::regex_search(out, m, re) ? std::stoull(m[1].str()) : 0;
}

/// The member `shoalctl graph` at `port` places `node` on ("" if none).
std::string member_of(int port, const std::string& node) {
  std::istringstream lines{shoalctl(port, "graph").output};
  std::string line;
  while (std::getline(lines, line))
    if (line.rfind(node + " ", 0) == 0)
      return line.substr(line.rfind(' ') + 1);
  return "";
}

} // namespace

TEST(LiveRollback, SamplesAcceptedAfterTheRestoredCheckpointAreCounted) {
  auto graph = write_temp_file("rollback_graph.toml", ewma_graph);
  std::vector<int> ports;
  std::vector<uint16_t> sources;
  std::vector<uint16_t> http;
  for (int i = 0; i < 3; ++i) {
    ports.push_back(free_loopback_port());
    sources.push_back(free_loopback_port());
    http.push_back(free_loopback_port());
  }
  // Rounds 4 s apart: room to send samples after one and kill before the
  // next. The test finds out which round the restore came from anyway.
  std::vector<std::unique_ptr<member_process>> n;
  for (int i = 0; i < 3; ++i)
    n.push_back(std::make_unique<member_process>(write_member_config(
      "n" + std::to_string(i + 1), ports[i], {ports[0]},
      "http = \"127.0.0.1:" + std::to_string(http[i]) + "\"\n",
      "checkpoint_interval_ms = 4000\n[[source]]\nkind = \"tcp\"\nlisten = "
      "\"127.0.0.1:"
        + std::to_string(sources[i])
        + "\"\nallowed_lateness_ns = 1_000_000_000\n",
      1500)));
  await_member_count(ports[0], 3);
  auto logs = [&] {
    std::string out;
    for (auto& m : n)
      out += m->log();
    return out;
  };
  auto res = shoalctl(ports[0], "apply " + graph);
  ASSERT_EQ(res.exit_code, 0) << res.output << logs();
  auto home = member_of(ports[0], "a.temp");
  ASSERT_FALSE(home.empty()) << shoalctl(ports[0], "graph").output;
  // Samples go to a member that survives, which the test asks.
  int doomed = home[1] - '1';
  int alive = (doomed + 1) % 3;
  msgpack_client client{sources[alive]};
  auto accepted = [&] {
    return metric(
      http_request(http[alive], "GET", "/metrics?scope=cluster").body,
      "shoal_samples_total");
  };
  // Stamped as they are sent: the source's watermark is the wall clock
  // less a second.
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(client.send_sample("a.temp", shoal::wall_clock_ns(), 1.0 * i));
  ASSERT_TRUE(wait_until(
    [&] {
      return accepted() == 3;
    },
    std::chrono::seconds(20)))
    << logs();
  // A round after those three holds them.
  auto c0 = committed(ports[alive]);
  uint64_t before = 0;
  ASSERT_TRUE(wait_until(
    [&] {
      before = committed(ports[alive]);
      return before > c0;
    },
    std::chrono::seconds(30)))
    << logs();
  // Five more after it, seen by the member's status refresh, then the
  // sensor's member dies.
  for (int i = 3; i < 8; ++i)
    ASSERT_TRUE(client.send_sample("a.temp", shoal::wall_clock_ns(), 1.0 * i));
  ASSERT_TRUE(wait_until(
    [&] {
      return accepted() == 8;
    },
    std::chrono::seconds(20)))
    << logs();
  n[doomed]->kill9();
  std::smatch m;
  static const std::regex restored{
    R"re(restored 2 of 2 nodes from checkpoint (\d+))re"};
  std::string log;
  ASSERT_TRUE(wait_until(
    [&] {
      log = n[alive]->log() + n[(alive + 1) % 3]->log();
      return std::regex_search(log, m, restored);
    },
    std::chrono::seconds(30)))
    << logs();
  // The restored sensor accepted what its checkpoint holds; the rest of
  // the eight is counted. Restored from the round before the five, that is
  // five (a round that came between, on a loaded machine, holds them all).
  int64_t seen = -1;
  int64_t kept = -1;
  wait_until(
    [&] {
      auto body
        = http_request(http[alive], "GET", "/metrics?scope=cluster").body;
      seen = metric(body, "shoal_live_samples_rolled_back_total");
      kept = metric(body, "shoal_samples_total");
      return seen > 0 && seen + kept == 8;
    },
    std::chrono::seconds(10));
  EXPECT_EQ(seen + kept, 8) << logs();
  uint64_t want = 8 - static_cast<uint64_t>(kept);
  if (std::stoull(m[1].str()) == before) {
    EXPECT_EQ(want, 5u) << logs();
  }
  auto status = shoalctl(ports[alive], "status --checkpoint --json").output;
  EXPECT_NE(status.find("\"live_samples_rolled_back\":" + std::to_string(want)),
            std::string::npos)
    << status;
  if (want > 0) {
    auto text = shoalctl(ports[alive], "status").output;
    EXPECT_NE(text.find(std::to_string(want)
                        + " live samples rolled back by failovers"),
              std::string::npos)
      << text;
  }
}
