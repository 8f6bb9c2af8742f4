// /status: the JSON shape documented in docs/http.md, filled from the model.

#include <cmath>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "runtime/http/status_model.hpp"
#include "tests/support/sample_status.hpp"

using namespace shoal;
using namespace shoal::test_support;
using nlohmann::json;

TEST(StatusJson, HasMembersPlacementAndCounters) {
  auto model = sample_status(2, 20);
  auto doc = json::parse(render_status_json(model));
  EXPECT_EQ(doc.at("uptime_s"), 3725.0);
  auto& members = doc.at("members");
  ASSERT_EQ(members.size(), 2u);
  EXPECT_EQ(members[1].at("name"), "m1");
  EXPECT_EQ(members[1].at("address"), "10.0.0.2:4242");
  EXPECT_EQ(members[1].at("alive"), true);
  EXPECT_EQ(members[1].at("load"), 3001.0);
  EXPECT_EQ(members[1].at("nodes"), 10);
  EXPECT_EQ(members[1].at("backlog"), 1);
  EXPECT_EQ(members[1].at("samples").at("accepted"), 5000);
  EXPECT_EQ(members[1].at("samples").at("rejected").at("malformed"), 3);
  EXPECT_EQ(members[1].at("samples").at("rejected").at("out_of_order"), 0);
  auto& nodes = doc.at("nodes");
  ASSERT_EQ(nodes.size(), 20u);
  auto& sensor = nodes[0];
  EXPECT_EQ(sensor.at("name"), "plant.a0.u0.s0");
  EXPECT_EQ(sensor.at("kind"), "sensor");
  EXPECT_EQ(sensor.at("member"), "m0");
  EXPECT_EQ(sensor.at("samples").at("accepted"), 1000);
  EXPECT_TRUE(sensor.at("p99_ns").is_null());
  auto& feature = nodes[5];
  EXPECT_EQ(feature.at("kind"), "feature");
  EXPECT_EQ(feature.at("fn"), "mean");
  EXPECT_EQ(feature.at("needs"),
            json::array({"plant.a0.u0.s0", "plant.a0.u0.s1"}));
  EXPECT_FALSE(feature.contains("samples"));
  auto& model0 = nodes[9];
  EXPECT_EQ(model0.at("kind"), "model");
  EXPECT_EQ(model0.at("member"), "m0");
  EXPECT_EQ(model0.at("firings"), 1000);
  EXPECT_EQ(model0.at("outputs"), 990);
  EXPECT_EQ(model0.at("errors"), 10);
  EXPECT_EQ(model0.at("last_error"),
            "lua: attempt to index a nil value (unit 0)");
  EXPECT_EQ(model0.at("p50_ns"), 100000);
  EXPECT_EQ(model0.at("p99_ns"), 2000000);
  EXPECT_EQ(nodes[19].at("member"), "m1");
}

TEST(StatusJson, HasTotalsRatesLatencyAndEndpoints) {
  auto model = sample_status(2, 20);
  auto doc = json::parse(render_status_json(model));
  auto& t = doc.at("totals");
  EXPECT_EQ(t.at("samples").at("accepted"), 10000);
  EXPECT_EQ(t.at("samples").at("rejected").at("malformed"), 6);
  EXPECT_EQ(t.at("firings"), 10000);
  EXPECT_EQ(t.at("errors"), 10);
  EXPECT_EQ(t.at("backlog"), 0);
  EXPECT_EQ(t.at("rates").at("samples_per_s"), 2500.0);
  EXPECT_EQ(t.at("rates").at("errors_per_s"), 0.5);
  auto& lat = t.at("latency");
  EXPECT_EQ(lat.at("count"), 1000);
  EXPECT_EQ(lat.at("max_ns"), 10'000'000);
  EXPECT_NEAR(lat.at("p50_ns").get<double>(), 5e6, 5e6 / 8);
  EXPECT_NEAR(lat.at("p99_ns").get<double>(), 9.9e6, 9.9e6 / 8);
  auto& ep = doc.at("endpoints");
  ASSERT_EQ(ep.size(), 1u);
  EXPECT_EQ(ep[0].at("kind"), "tcp source");
  EXPECT_EQ(ep[0].at("port"), 7790);
  EXPECT_EQ(ep[0].at("connected"), true);
  EXPECT_EQ(ep[0].at("messages"), 42);
}

TEST(StatusJson, EmptyModel) {
  auto doc = json::parse(render_status_json(status_model{}));
  EXPECT_TRUE(doc.at("members").is_array());
  EXPECT_TRUE(doc.at("members").empty());
  EXPECT_TRUE(doc.at("nodes").empty());
  EXPECT_TRUE(doc.at("endpoints").empty());
  EXPECT_EQ(doc.at("totals").at("latency").at("count"), 0);
  EXPECT_TRUE(doc.at("totals").at("latency").at("p50_ns").is_null());
}

TEST(StatusJson, SurvivesBadBytesAndNonFiniteNumbers) {
  status_model model;
  member_status m;
  m.name = "m\"0\n";
  m.load = NAN;
  model.members.push_back(m);
  node_status n;
  n.name = "lua.node";
  n.kind = node_kind::model;
  n.counts.last_error = "bad byte \xff in <script>";
  model.nodes.push_back(n);
  model.totals.firings_per_s = INFINITY;
  std::string text;
  ASSERT_NO_THROW(text = render_status_json(model));
  auto doc = json::parse(text);
  EXPECT_EQ(doc.at("members")[0].at("name"), "m\"0\n");
  EXPECT_TRUE(doc.at("members")[0].at("load").is_null());
  EXPECT_TRUE(doc.at("totals").at("rates").at("firings_per_s").is_null());
  auto err = doc.at("nodes")[0].at("last_error").get<std::string>();
  EXPECT_EQ(err.rfind("bad byte ", 0), 0u);
  EXPECT_NE(err.find("in <script>"), std::string::npos);
}

TEST(StatusJson, SourcesHaveTheirLagAndBacklog) {
  status_model model;
  source_status live;
  live.name = "mqtt #1 mqtt://127.0.0.1:1883 plant/#";
  live.watermark_ns = 1'764'915'376'000'000'000;
  live.lag_ns = 101'000'000;
  live.queued = 12;
  live.refused = 3;
  live.full = true;
  model.sources.push_back(live);
  source_status ended;
  ended.name = "tcp #2 127.0.0.1:7790";
  model.sources.push_back(ended);
  auto doc = json::parse(render_status_json(model));
  auto& xs = doc.at("sources");
  ASSERT_EQ(xs.size(), 2u);
  EXPECT_EQ(xs[0].at("name"), "mqtt #1 mqtt://127.0.0.1:1883 plant/#");
  EXPECT_EQ(xs[0].at("watermark_ns"), 1'764'915'376'000'000'000);
  EXPECT_EQ(xs[0].at("lag_ns"), 101'000'000);
  EXPECT_EQ(xs[0].at("queued"), 12);
  EXPECT_EQ(xs[0].at("full"), true);
  EXPECT_EQ(xs[0].at("refused"), 3);
  EXPECT_TRUE(xs[1].at("lag_ns").is_null());
  EXPECT_EQ(xs[1].at("full"), false);
  EXPECT_TRUE(
    json::parse(render_status_json(status_model{})).at("sources").empty());
}

TEST(StatusJson, HasEachMembersRejectedInput) {
  status_model model;
  member_status m;
  m.name = "n1";
  reject_event e;
  e.reason = reject_reason::malformed;
  e.text = "payload is not valid JSON";
  e.origin = "mqtt topic plant/a";
  e.example = "{\"ts\":\x01";
  e.now_ns = 1'796'443'920'123'000'000;
  m.rejects.add(e);
  m.rejects.add_unknown("plant.zzz", 2);
  model.members.push_back(m);
  auto doc = json::parse(render_status_json(model));
  auto& r = doc.at("members")[0].at("rejected_input");
  ASSERT_EQ(r.at("reasons").size(), 1u);
  auto& x = r.at("reasons")[0];
  EXPECT_EQ(x.at("reason"), "malformed");
  EXPECT_EQ(x.at("text"), "payload is not valid JSON");
  EXPECT_EQ(x.at("origin"), "mqtt topic plant/a");
  EXPECT_EQ(x.at("example"), "{\"ts\":\\x01");
  EXPECT_EQ(x.at("first"), "2026-12-05T04:12:00.123Z");
  EXPECT_EQ(x.at("count"), 1);
  EXPECT_EQ(r.at("other_reasons"), 0);
  EXPECT_EQ(r.at("unknown_sensors")[0].at("name"), "plant.zzz");
  EXPECT_EQ(r.at("unknown_sensors")[0].at("count"), 2);
  EXPECT_EQ(r.at("other_unknown"), 0);
}
