// The readiness decision behind /healthz (SPEC section 10): each reason in
// its order, the status board's age and the member's exit, and what the
// routes answer with a health provider (503 with the reason, the
// `shoal_ready` gauge, the `ready` field of /status).

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "runtime/http/http_routes.hpp"
#include "runtime/http/prometheus.hpp"
#include "runtime/http/readiness.hpp"
#include "runtime/http/status_board.hpp"
#include "tests/support/sample_status.hpp"

using namespace shoal;
using namespace shoal::test_support;
using namespace std::chrono_literals;

namespace {

source_readiness mqtt_source(bool started, bool connected, bool subscribed) {
  return source_readiness{"source #1 (mqtt 127.0.0.1:1883 plant/#)", started,
                          connected, subscribed};
}

/// A member that is ready in every respect.
readiness_facts ready_facts() {
  readiness_facts f;
  f.status_age_ns = 200'000'000;
  f.member.joined = true;
  f.member.deployed = true;
  f.sources.push_back(mqtt_source(true, true, true));
  f.sources.push_back(
    source_readiness{"source #2 (tcp 127.0.0.1:7790)", true, true, true});
  return f;
}

std::string reason_of(const readiness_facts& f) {
  auto verdict = decide_readiness(f);
  EXPECT_EQ(verdict.ready, verdict.reason.empty()) << verdict.reason;
  return verdict.reason;
}

} // namespace

TEST(Readiness, ReadyWhenEveryCheckPasses) {
  auto verdict = decide_readiness(ready_facts());
  EXPECT_TRUE(verdict.ready);
  EXPECT_EQ(verdict.reason, "");
  auto no_sources = ready_facts();
  no_sources.sources.clear();
  EXPECT_TRUE(decide_readiness(no_sources).ready);
}

TEST(Readiness, NamesEachMissingPiece) {
  auto f = ready_facts();
  f.member_down = true;
  f.member_down_reason = "user_shutdown";
  EXPECT_EQ(reason_of(f), "not ready: member actor is down (user_shutdown)");
  f = ready_facts();
  f.status_age_ns.reset();
  EXPECT_EQ(reason_of(f), "not ready: starting (no status yet)");
  f = ready_facts();
  f.status_age_ns = 7'250'000'000;
  EXPECT_EQ(reason_of(f),
            "not ready: status is stale (last refreshed 7.2 s ago)");
  f = ready_facts();
  f.member.joined = false;
  EXPECT_EQ(reason_of(f), "not ready: joining the cluster");
  f = ready_facts();
  f.member.deployed = false;
  EXPECT_EQ(reason_of(f), "not ready: graph not deployed");
  f = ready_facts();
  f.sources[0] = mqtt_source(false, false, false);
  EXPECT_EQ(reason_of(f), "not ready: source #1 (mqtt 127.0.0.1:1883 "
                          "plant/#) is not started");
  f.sources[0] = mqtt_source(true, false, false);
  EXPECT_EQ(reason_of(f), "not ready: source #1 (mqtt 127.0.0.1:1883 "
                          "plant/#) is not connected");
  f.sources[0] = mqtt_source(true, true, false);
  EXPECT_EQ(reason_of(f), "not ready: source #1 (mqtt 127.0.0.1:1883 "
                          "plant/#) is not subscribed");
  f.sources[1].started = false;
  EXPECT_EQ(reason_of(f),
            "not ready: source #1 (mqtt 127.0.0.1:1883 plant/#) is not "
            "subscribed; source #2 (tcp 127.0.0.1:7790) is not started");
}

TEST(Readiness, TheFirstFailingCheckIsTheReason) {
  // Everything is wrong: the member's exit comes first, then the status,
  // the cluster, the graph and the sources.
  readiness_facts f;
  f.member_down = true;
  f.sources.push_back(mqtt_source(false, false, false));
  EXPECT_EQ(reason_of(f), "not ready: member actor is down");
  f.member_down = false;
  EXPECT_EQ(reason_of(f), "not ready: starting (no status yet)");
  f.status_age_ns = 0;
  EXPECT_EQ(reason_of(f), "not ready: joining the cluster");
  f.member.joined = true;
  EXPECT_EQ(reason_of(f), "not ready: graph not deployed");
  f.member.deployed = true;
  EXPECT_NE(reason_of(f).find("is not started"), std::string::npos);
}

TEST(Readiness, StaleOnlyPastTheBound) {
  auto f = ready_facts();
  f.max_status_age_ns = 3'000'000'000;
  f.status_age_ns = 3'000'000'000;
  EXPECT_TRUE(decide_readiness(f).ready);
  f.status_age_ns = 3'000'000'001;
  EXPECT_FALSE(decide_readiness(f).ready);
}

TEST(StatusBoard, FactsAgeFromTheLastStore) {
  status_board board{2s};
  auto t0 = status_board::clock::now();
  auto f = board.facts(t0);
  EXPECT_FALSE(f.status_age_ns);
  EXPECT_EQ(f.max_status_age_ns, 2'000'000'000);
  EXPECT_EQ(reason_of(f), "not ready: starting (no status yet)");
  auto before = status_board::clock::now();
  board.store(status_model{}, member_readiness{true, true});
  auto after = status_board::clock::now();
  f = board.facts(after + 1s);
  ASSERT_TRUE(f.status_age_ns);
  EXPECT_GE(*f.status_age_ns, 1'000'000'000);
  EXPECT_LE(*f.status_age_ns, (after - before + 1s).count());
  EXPECT_TRUE(decide_readiness(f).ready);
  f = board.facts(after + 3s);
  EXPECT_EQ(reason_of(f).rfind("not ready: status is stale", 0), 0u)
    << reason_of(f);
  board.store(status_model{}, member_readiness{true, false});
  EXPECT_EQ(reason_of(board.facts()), "not ready: graph not deployed");
  board.member_down("killed");
  EXPECT_EQ(reason_of(board.facts()),
            "not ready: member actor is down (killed)");
}

TEST(HealthRoute, AnswersTheVerdict) {
  status_provider provider = [] {
    return sample_status(1, 10);
  };
  readiness verdict{false, "not ready: joining the cluster"};
  int calls = 0;
  health_provider health = [&] {
    ++calls;
    return verdict;
  };
  auto reply = route_request("GET", "/healthz", provider, health);
  EXPECT_EQ(reply.status, 503u);
  EXPECT_EQ(reply.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(reply.body, "not ready: joining the cluster\n");
  EXPECT_EQ(route_request("HEAD", "/healthz", provider, health).status, 503u);
  verdict = readiness{true, {}};
  reply = route_request("GET", "/healthz?probe=1", provider, health);
  EXPECT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.body, "ok\n");
  EXPECT_EQ(calls, 3);
  // The other routes do not ask it.
  EXPECT_EQ(route_request("GET", "/status", provider, health).status, 200u);
  EXPECT_EQ(calls, 3);
  health = []() -> readiness {
    throw std::runtime_error("board gone");
  };
  reply = route_request("GET", "/healthz", provider, health);
  EXPECT_EQ(reply.status, 503u);
  EXPECT_EQ(reply.body, "not ready: cannot decide: board gone\n");
}

TEST(HealthRoute, MetricsAndStatusCarryTheVerdict) {
  auto model = sample_status(1, 10);
  auto metrics = render_metrics(model, model.latency);
  EXPECT_EQ(metrics.find("shoal_ready"), std::string::npos);
  model.ready = readiness{false, "not ready: graph not deployed"};
  metrics = render_metrics(model, model.latency);
  EXPECT_NE(metrics.find("# TYPE shoal_ready gauge\nshoal_ready 0\n"),
            std::string::npos)
    << metrics;
  auto doc = nlohmann::json::parse(render_status_json(model));
  EXPECT_EQ(doc.at("ready"), false);
  EXPECT_EQ(doc.at("not_ready_reason"), "not ready: graph not deployed");
  model.ready = readiness{true, {}};
  metrics = render_metrics(model, model.latency);
  EXPECT_NE(metrics.find("\nshoal_ready 1\n"), std::string::npos) << metrics;
  doc = nlohmann::json::parse(render_status_json(model));
  EXPECT_EQ(doc.at("ready"), true);
  EXPECT_EQ(doc.at("not_ready_reason"), "");
}
