// `shoal-node --http HOST:PORT`: the live demo serves /status and the
// status page, which shows the demo plant as closed groups per pump, in
// headless chromium without console output.

#include <arpa/inet.h>
#include <chrono>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include "tests/support/headless_browser.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"

using namespace shoal::test_support;

namespace {

/// A loopback port that was free a moment ago.
uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

} // namespace

TEST(ShoalNodeDemo, ServesTheStatusPageWithHttp) {
  auto port = free_port();
  pid_t pid = -1;
  auto up = start_server(
    {binary("shoal-node"), "--http", "127.0.0.1:" + std::to_string(port),
     "--duration", "30"},
    pid, std::chrono::seconds(20), std::chrono::milliseconds(100), [port] {
      auto r
        = http_request(port, "GET", "/status", {}, std::chrono::seconds(2));
      return r.error.empty() && r.status == 200;
    });
  ASSERT_TRUE(up) << "the demo did not serve /status on port " << port;
  // A few refreshes, for rates and the history.
  std::this_thread::sleep_for(std::chrono::seconds(3));
  auto r = http_request(port, "GET", "/status");
  ASSERT_EQ(r.status, 200u) << r.error;
  auto doc = nlohmann::json::parse(r.body);
  ASSERT_EQ(doc.at("members").size(), 1u);
  EXPECT_EQ(doc.at("members")[0].at("name"), "demo");
  EXPECT_EQ(doc.at("nodes").size(), 953u);
  EXPECT_EQ(doc.at("nodes")[0].at("member"), "demo");
  EXPECT_GT(doc.at("totals").at("rates").at("samples_per_s").get<double>(),
            1000.0);
  EXPECT_GE(doc.at("history").at("unix_ms").size(), 2u);
  EXPECT_GT(doc.at("totals").at("latency").at("count").get<uint64_t>(), 0u);
  auto page = load_page("http://127.0.0.1:" + std::to_string(port) + "/", 3000);
  stop_server(pid);
  ASSERT_EQ(page.error, "");
  EXPECT_TRUE(console_problems(page.log).empty()) << page.log;
  EXPECT_NE(page.dom.find("953 nodes in 51 groups by name prefix"),
            std::string::npos);
  EXPECT_NE(page.dom.find("data-group=\"pump07\""), std::string::npos);
  EXPECT_NE(page.dom.find("member demo"), std::string::npos);
}

TEST(ShoalNodeDemo, RejectsABadHttpAddress) {
  auto res = run_command(binary("shoal-node") + " --http nowhere --duration 1");
  EXPECT_EQ(res.exit_code, 2) << res.output;
  EXPECT_NE(res.output.find("--http"), std::string::npos) << res.output;
  res
    = run_command(binary("shoal-node") + " --http 127.0.0.1:0 --config x.toml");
  EXPECT_EQ(res.exit_code, 2) << res.output;
  EXPECT_NE(res.output.find("--http is for the demo"), std::string::npos)
    << res.output;
}
