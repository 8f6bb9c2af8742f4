// The HTTP server over real sockets: every route, the refusals (404, 405,
// 413, 400), HEAD, keep-alive, and clients that are idle, slow, many or
// broken, none of which may hold up the others.

#include <atomic>
#include <gtest/gtest.h>
#include <thread>

#include "runtime/core/errc.hpp"
#include "runtime/http/http_server.hpp"
#include "tests/support/headless_browser.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/io_clients.hpp"
#include "tests/support/sample_status.hpp"

using namespace shoal;
using namespace shoal::test_support;
using namespace std::chrono_literals;

namespace {

class HttpServer : public testing::Test {
protected:
  void start(http_server::options opts = {}) {
    auto srv = http_server::start(
      net_address{"127.0.0.1", 0},
      [this] {
        ++calls_;
        provider_thread_ = std::this_thread::get_id();
        return sample_status(2, 20);
      },
      opts);
    ASSERT_TRUE(srv) << describe(srv.error());
    srv_ = std::move(*srv);
    ASSERT_NE(srv_->port(), 0);
  }

  http_result get(const std::string& target, const std::string& method = "GET",
                  const std::string& body = {}) {
    return http_request(srv_->port(), method, target, body);
  }

  std::atomic<int> calls_{0};
  std::thread::id provider_thread_;
  std::unique_ptr<http_server> srv_;
};

} // namespace

TEST_F(HttpServer, ServesEveryRoute) {
  start();
  EXPECT_EQ(srv_->address(), "127.0.0.1:" + std::to_string(srv_->port()));
  auto page = get("/");
  ASSERT_EQ(page.error, "");
  EXPECT_EQ(page.status, 200u);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("<svg id=\"graph\""), std::string::npos);
  auto health = get("/healthz");
  EXPECT_EQ(health.status, 200u);
  EXPECT_EQ(health.body, "ok\n");
  auto metrics = get("/metrics");
  EXPECT_EQ(metrics.status, 200u);
  EXPECT_EQ(metrics.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(metrics.body.find("# TYPE shoal_firings_total counter"),
            std::string::npos);
  auto status = get("/status");
  EXPECT_EQ(status.status, 200u);
  EXPECT_EQ(status.content_type, "application/json");
  EXPECT_NE(status.body.find("\"plant.a0.u0.model\""), std::string::npos);
  EXPECT_EQ(calls_.load(), 2);
  EXPECT_NE(provider_thread_, std::this_thread::get_id());
  EXPECT_EQ(srv_->requests(), 4u);
}

TEST_F(HttpServer, RefusesUnknownPathsAndMethods) {
  start();
  EXPECT_EQ(get("/nope").status, 404u);
  auto post = get("/status", "POST", "x=1");
  EXPECT_EQ(post.status, 405u);
  EXPECT_EQ(post.allow, "GET, HEAD");
  EXPECT_EQ(get("/metrics", "DELETE").status, 405u);
  EXPECT_EQ(get("/", "BREW").status, 405u);
  EXPECT_EQ(calls_.load(), 0);
}

TEST_F(HttpServer, HeadHasTheLengthAndNoBody) {
  start();
  auto full = get("/");
  auto head = get("/", "HEAD");
  ASSERT_EQ(head.error, "");
  EXPECT_EQ(head.status, 200u);
  EXPECT_EQ(head.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(head.content_length, std::to_string(full.body.size()));
  EXPECT_EQ(head.body, "");
  // Nothing follows the head on the wire.
  auto raw = raw_exchange(srv_->port(), "HEAD /healthz HTTP/1.1\r\nHost: x\r\n"
                                        "Connection: close\r\n\r\n");
  EXPECT_TRUE(raw.closed);
  EXPECT_EQ(raw.received.substr(raw.received.size() - 4), "\r\n\r\n");
}

TEST_F(HttpServer, TooLargeIs413) {
  start();
  auto big_body = get("/status", "POST", std::string(100'000, 'x'));
  ASSERT_EQ(big_body.error, "");
  EXPECT_EQ(big_body.status, 413u);
  std::string big_head = "GET / HTTP/1.1\r\nHost: x\r\nX-Junk: "
                         + std::string(20'000, 'y') + "\r\n\r\n";
  auto raw = raw_exchange(srv_->port(), big_head);
  EXPECT_EQ(raw.received.rfind("HTTP/1.1 413", 0), 0u) << raw.received;
  EXPECT_TRUE(raw.closed);
  EXPECT_EQ(get("/healthz").status, 200u);
}

TEST_F(HttpServer, KeepsConnectionsAlive) {
  start();
  auto raw
    = raw_exchange(srv_->port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                                 "GET /status HTTP/1.1\r\nHost: x\r\n\r\n"
                                 "GET /healthz HTTP/1.1\r\nHost: x\r\n"
                                 "Connection: close\r\n\r\n");
  EXPECT_TRUE(raw.closed);
  EXPECT_EQ(count_of(raw.received, "HTTP/1.1 200 OK"), 3u) << raw.received;
}

TEST_F(HttpServer, IdleClientsDoNotBlockOthers) {
  start();
  msgpack_client silent{srv_->port()};
  msgpack_client halfway{srv_->port()};
  ASSERT_TRUE(halfway.send("GET /status HTTP/1.1\r\nHo"));
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(get("/status").status, 200u);
  EXPECT_TRUE(wait_until([&] {
    return srv_->connections() == 2;
  }));
}

TEST_F(HttpServer, IdleClientsAreClosedAfterTheReadTimeout) {
  http_server::options opts;
  opts.read_timeout = 200ms;
  start(opts);
  msgpack_client silent{srv_->port()};
  EXPECT_TRUE(silent.closed_by_peer());
  auto raw = raw_exchange(srv_->port(), "GET / HTTP/1.1\r\n");
  EXPECT_TRUE(raw.closed);
  EXPECT_EQ(raw.received, "");
  EXPECT_TRUE(wait_until([&] {
    return srv_->connections() == 0;
  }));
}

TEST_F(HttpServer, ClosesConnectionsBeyondTheLimit) {
  http_server::options opts;
  opts.max_connections = 2;
  start(opts);
  msgpack_client first{srv_->port()};
  msgpack_client second{srv_->port()};
  ASSERT_TRUE(wait_until([&] {
    return srv_->connections() == 2;
  }));
  msgpack_client third{srv_->port()};
  EXPECT_TRUE(third.closed_by_peer());
  first.close();
  ASSERT_TRUE(wait_until([&] {
    return srv_->connections() == 1;
  }));
  EXPECT_EQ(get("/healthz").status, 200u);
}

TEST_F(HttpServer, GarbageIsAnsweredWith400AndClosed) {
  start();
  for (std::string junk :
       {std::string{"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 16},
        std::string{"GET\r\n\r\n"}, std::string{"HELLO WORLD\r\n\r\n"},
        std::string{"GET / HTTP/1.1\r\nContent-Length: -5\r\n\r\n"}}) {
    auto raw = raw_exchange(srv_->port(), junk);
    EXPECT_TRUE(raw.closed) << junk;
    EXPECT_EQ(raw.received.rfind("HTTP/1.1 400", 0), 0u) << raw.received;
  }
  // A client that sends half a request and leaves.
  {
    msgpack_client gone{srv_->port()};
    gone.send("GET /status HTTP/1.1\r\nHost");
  }
  EXPECT_EQ(get("/healthz").status, 200u);
  EXPECT_TRUE(wait_until([&] {
    return srv_->connections() == 0;
  }));
}

TEST_F(HttpServer, ManyConcurrentClients) {
  start();
  constexpr int threads = 16;
  constexpr int each = 20;
  std::atomic<int> ok{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (int i = 0; i < each; ++i) {
        auto target = (i + t) % 2 == 0 ? "/status" : "/metrics";
        auto res = http_request(srv_->port(), "GET", target);
        if (res.status == 200 && !res.body.empty())
          ++ok;
      }
    });
  for (auto& th : pool)
    th.join();
  EXPECT_EQ(ok.load(), threads * each);
  EXPECT_EQ(calls_.load(), threads * each);
}

TEST_F(HttpServer, RefusesAnAddressInUse) {
  start();
  auto second = http_server::start(net_address{"127.0.0.1", srv_->port()}, [] {
    return status_model{};
  });
  ASSERT_FALSE(second);
  EXPECT_NE(describe(second.error()).find("cannot listen"), std::string::npos)
    << describe(second.error());
}
