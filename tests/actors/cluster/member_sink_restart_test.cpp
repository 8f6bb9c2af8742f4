// A member's configured file sink across a restart: the file is appended to,
// so it holds the outputs of both runs (docs/io.md), unlike a replay's OUT.

#include <chrono>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/core/clock.hpp"
#include "tests/support/io_clients.hpp"
#include "tests/support/member_process.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal;
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

class MemberSinkRestart : public temp_dir_test {
protected:
  /// The timestamps of the lines of the sink's file; every line must be
  /// one output of a.ewma.
  std::vector<int64_t> output_ts() const {
    std::vector<int64_t> result;
    std::istringstream in{read_file(out_)};
    std::string line;
    while (std::getline(in, line)) {
      auto doc = nlohmann::json::parse(line);
      EXPECT_EQ(doc["node"], "a.ewma") << line;
      result.push_back(doc["ts"].get<int64_t>());
    }
    return result;
  }

  /// Runs one life of member n1: start, apply the graph, send `n` samples
  /// stamped from now on through its TCP source, wait until the file holds
  /// `want` outputs, then stop it with SIGTERM. Returns the first stamp.
  int64_t run_member(int n, size_t want) {
    member_process n1{config_};
    await_member_count(port_, 1);
    auto res = shoalctl(port_, "apply " + graph_);
    EXPECT_EQ(res.exit_code, 0) << res.output << n1.log();
    EXPECT_TRUE(await_log(n1, "member n1 started 1 source")) << n1.log();
    EXPECT_TRUE(await_log(n1, "member n1 wired its sink")) << n1.log();
    msgpack_client client{static_cast<uint16_t>(source_port_)};
    // Stamped now: the source's watermark is the wall clock less the
    // allowed lateness, so older stamps would be late.
    auto t0 = wall_clock_ns();
    for (int i = 0; i < n; ++i)
      EXPECT_TRUE(client.send_sample("a.temp", t0 + i, 1.0 * i));
    EXPECT_TRUE(wait_until(
      [&] {
        return output_ts().size() >= want;
      },
      std::chrono::seconds(20)))
      << read_file(out_) << n1.log();
    EXPECT_EQ(n1.stop(), 0) << n1.log();
    return t0;
  }

  void SetUp() override {
    temp_dir_test::SetUp();
    port_ = free_loopback_port();
    source_port_ = free_loopback_port();
    out_ = (dir_ / "out.jsonl").string();
    graph_ = write("graph.toml", ewma_graph);
    // Outputs are due 0.2 s after their samples.
    config_ = write_member_config(
      "n1", port_, {port_}, "",
      "[[source]]\nkind = \"tcp\"\nlisten = \"127.0.0.1:"
        + std::to_string(source_port_)
        + "\"\nallowed_lateness_ns = 200_000_000\n[[sink]]\nkind = "
          "\"jsonl\"\npath = \""
        + out_ + "\"\n");
  }

  int port_ = 0;
  int source_port_ = 0;
  std::string out_;
  std::string graph_;
  std::string config_;
};

} // namespace

TEST_F(MemberSinkRestart, JsonlHoldsTheOutputsOfBothRuns) {
  run_member(5, 3);
  auto first = output_ts();
  ASSERT_GE(first.size(), 3u);
  auto first_text = read_file(out_);
  // Same configuration, same file: the second life appends.
  auto t1 = run_member(5, first.size() + 3);
  auto both = output_ts();
  auto text = read_file(out_);
  EXPECT_EQ(text.compare(0, first_text.size(), first_text), 0) << text;
  size_t later = 0;
  for (auto ts : both)
    later += ts >= t1 ? 1 : 0;
  EXPECT_EQ(both.size() - later, first.size()) << text;
  EXPECT_GE(later, 3u) << text;
}

TEST_F(MemberSinkRestart, ATimestampInMillisecondsIsWarnedAboutOncePerSensor) {
  member_process n1{config_};
  await_member_count(port_, 1);
  auto res = shoalctl(port_, "apply " + graph_);
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log();
  ASSERT_TRUE(await_log(n1, "member n1 started 1 source")) << n1.log();
  msgpack_client client{static_cast<uint16_t>(source_port_)};
  auto ms = wall_clock_ns() / 1000000;
  for (int i = 0; i < 3; ++i)
    EXPECT_TRUE(client.send_sample("a.temp", ms + i, 1.0));
  std::string warning = "sensor a.temp: timestamp " + std::to_string(ms)
                        + " looks like milliseconds since the epoch";
  EXPECT_TRUE(await_log(n1, warning)) << n1.log();
  // Once: the next samples of that sensor say nothing more.
  EXPECT_TRUE(client.send_sample("a.temp", ms + 10, 1.0));
  EXPECT_EQ(n1.stop(), 0) << n1.log();
  auto log = n1.log();
  EXPECT_EQ(
    log.find("looks like milliseconds", log.find(warning) + warning.size()),
    std::string::npos)
    << log;
}
