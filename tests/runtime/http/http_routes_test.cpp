// route_request without sockets: which route answers what, and that the
// provider is asked only when needed and its failure becomes a 500.

#include <gtest/gtest.h>
#include <stdexcept>

#include "runtime/http/http_routes.hpp"
#include "tests/support/sample_status.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

class HttpRoutes : public testing::Test {
protected:
  http_reply get(const std::string& target, const std::string& method = "GET") {
    return route_request(method, target, provider_);
  }

  int calls_ = 0;
  status_provider provider_ = [this] {
    ++calls_;
    return sample_status(2, 20);
  };
};

} // namespace

TEST_F(HttpRoutes, AnswersEachRoute) {
  auto page = get("/");
  EXPECT_EQ(page.status, 200u);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(page.body.rfind("<!DOCTYPE html>", 0), 0u);
  auto health = get("/healthz");
  EXPECT_EQ(health.status, 200u);
  EXPECT_EQ(health.body, "ok\n");
  EXPECT_EQ(calls_, 0);
  auto metrics = get("/metrics");
  EXPECT_EQ(metrics.status, 200u);
  EXPECT_EQ(metrics.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(metrics.body.find("shoal_samples_total{member=\"m0\""),
            std::string::npos);
  auto status = get("/status");
  EXPECT_EQ(status.status, 200u);
  EXPECT_EQ(status.content_type, "application/json");
  EXPECT_EQ(status.body.front(), '{');
  EXPECT_EQ(calls_, 2);
}

TEST_F(HttpRoutes, IgnoresTheQuery) {
  EXPECT_EQ(get("/status?pretty=1").status, 200u);
  EXPECT_EQ(get("/?x").content_type, "text/html; charset=utf-8");
}

TEST_F(HttpRoutes, UnknownPathIs404) {
  EXPECT_EQ(get("/nope").status, 404u);
  EXPECT_EQ(get("/status/").status, 404u);
  EXPECT_EQ(get("/metrics", "POST").status, 405u);
  EXPECT_EQ(get("/nope", "POST").status, 404u);
}

TEST_F(HttpRoutes, OnlyGetAndHead) {
  EXPECT_EQ(get("/", "HEAD").status, 200u);
  EXPECT_EQ(get("/", "HEAD").body, get("/").body);
  for (auto method : {"POST", "PUT", "DELETE", "OPTIONS", "BREW"}) {
    auto reply = get("/status", method);
    EXPECT_EQ(reply.status, 405u) << method;
    EXPECT_EQ(reply.allow, "GET, HEAD");
  }
  EXPECT_EQ(calls_, 0);
}

TEST_F(HttpRoutes, ProviderFailureIs500) {
  provider_ = []() -> status_model {
    throw std::runtime_error("member m1 did not answer");
  };
  auto reply = get("/status");
  EXPECT_EQ(reply.status, 500u);
  EXPECT_NE(reply.body.find("member m1 did not answer"), std::string::npos);
  EXPECT_EQ(get("/metrics").status, 500u);
  EXPECT_EQ(get("/healthz").status, 200u);
  provider_ = nullptr;
  EXPECT_EQ(get("/status").status, 500u);
}
