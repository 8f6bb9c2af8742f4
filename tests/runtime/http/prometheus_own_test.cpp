// /metrics of a cluster member (runtime/http/prometheus.hpp): only the
// serving member's own work, its MQTT endpoints and the per-node series
// chosen for it; `scope=cluster` shows the whole model as before; and every
// page passes `promtool check metrics` (Prometheus's own linter).

#include <gtest/gtest.h>
#include <string>

#include "runtime/http/http_routes.hpp"
#include "runtime/http/prometheus.hpp"
#include "tests/support/process.hpp"
#include "tests/support/sample_status.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

/// A member m0 of the sample cluster that knows its own part.
status_model member_model() {
  auto model = sample_status(2, 20);
  own_status own;
  own.member = "m0";
  own.work.features.firings = 7000;
  own.work.features.outputs = 6990;
  own.work.models.firings = 300;
  own.work.models.errors = 12;
  own.work.samples.accepted = 4200;
  own.work.samples[reject_reason::late] = 5;
  own.work.nodes = {5, 4, 1};
  node_work n;
  n.name = "plant.a0.u0.model";
  n.kind = node_kind::model;
  n.counts.firings = 300;
  n.counts.errors = 12;
  own.work.per_node.push_back(n);
  node_work s;
  s.name = "plant.a0.u0.s1";
  s.kind = node_kind::sensor;
  s.samples[reject_reason::late] = 5;
  own.work.per_node.push_back(s);
  own.backlog = -1;
  own.latency.record(2'000'000);
  model.own = own;
  endpoint_status src;
  src.kind = "mqtt source";
  src.address = "mqtt://127.0.0.1:1883 plant/#";
  src.connected = true;
  src.reconnects = 2;
  src.messages = 900;
  src.dropped = 4;
  model.endpoints.push_back(src);
  endpoint_status sink;
  sink.kind = "mqtt sink";
  sink.address = "mqtt://127.0.0.1:1883 shoal/out";
  sink.reconnects = 1;
  sink.messages = 50;
  sink.dropped = 9;
  sink.dropped_by = {{"disconnected", 6}, {"queue_full", 3}, {"refused", 0}};
  model.endpoints.push_back(sink);
  // The same sink twice must not give one series twice.
  model.endpoints.push_back(sink);
  endpoint_status tcp;
  tcp.kind = "tcp source";
  tcp.address = "127.0.0.1:7000";
  model.endpoints.push_back(tcp);
  return model;
}

bool has(const std::string& page, const std::string& line) {
  return page.find("\n" + line + "\n") != std::string::npos;
}

/// What `promtool check metrics` says about `page` ("" when it passes).
std::string promtool_check(const std::string& page) {
  auto file = write_temp_file("promtool_page.txt", page);
  auto r = run_command("promtool check metrics < " + file);
  return r.exit_code == 0 ? "" : r.output;
}

} // namespace

TEST(PrometheusOwn, AMemberShowsOnlyItsOwnWork) {
  auto model = member_model();
  auto page = render_metrics(model, model.latency);
  EXPECT_TRUE(
    has(page, "shoal_samples_total{member=\"m0\",reason=\"accepted\"} 4200"));
  EXPECT_TRUE(
    has(page, "shoal_samples_total{member=\"m0\",reason=\"late\"} 5"));
  EXPECT_TRUE(
    has(page, "shoal_firings_total{member=\"m0\",kind=\"feature\"} 7000"));
  EXPECT_TRUE(has(page, "shoal_errors_total{member=\"m0\",kind=\"model\"} 12"));
  EXPECT_TRUE(has(page, "shoal_nodes{member=\"m0\",kind=\"sensor\"} 5"));
  // A batch taken before its sender counted it: never below zero.
  EXPECT_TRUE(has(page, "shoal_mailbox_backlog{member=\"m0\"} 0"));
  EXPECT_EQ(page.find("member=\"m1\""), std::string::npos) << page;
  // The member's own sinks' latency, not the cluster's.
  EXPECT_TRUE(has(page, "shoal_output_latency_seconds_count 1"));
  // The cluster as this member sees it stays.
  EXPECT_TRUE(has(page, "shoal_members{state=\"alive\"} 2"));
}

TEST(PrometheusOwn, ChosenNodesOneByOne) {
  auto model = member_model();
  auto page = render_metrics(model, model.latency);
  EXPECT_TRUE(has(page, "shoal_node_firings_total{member=\"m0\",node=\"plant."
                        "a0.u0.model\",kind=\"model\"} 300"));
  EXPECT_TRUE(has(page, "shoal_node_errors_total{member=\"m0\",node=\"plant."
                        "a0.u0.model\",kind=\"model\"} 12"));
  EXPECT_TRUE(has(page, "shoal_node_samples_rejected_total{member=\"m0\","
                        "node=\"plant.a0.u0.s1\",reason=\"late\"} 5"));
  // None chosen, no families.
  model.own->work.per_node.clear();
  page = render_metrics(model, model.latency);
  EXPECT_EQ(page.find("shoal_node_"), std::string::npos);
}

TEST(PrometheusOwn, MqttSourcesAndSinks) {
  auto model = member_model();
  auto page = render_metrics(model, model.latency);
  auto src = "member=\"m0\",source=\"mqtt://127.0.0.1:1883 plant/#\"";
  auto sink = "member=\"m0\",sink=\"mqtt://127.0.0.1:1883 shoal/out\"";
  EXPECT_TRUE(has(page, "shoal_mqtt_connected{" + std::string{src} + "} 1"));
  EXPECT_TRUE(has(page, "shoal_mqtt_connected{" + std::string{sink} + "} 0"));
  EXPECT_TRUE(
    has(page, "shoal_mqtt_reconnects_total{" + std::string{src} + "} 2"));
  EXPECT_TRUE(has(page, "shoal_mqtt_messages_received_total{" + std::string{src}
                          + "} 900"));
  EXPECT_TRUE(has(page, "shoal_mqtt_messages_published_total{"
                          + std::string{sink} + "} 50"));
  EXPECT_TRUE(has(page, "shoal_mqtt_dropped_total{" + std::string{src}
                          + ",reason=\"malformed\"} 4"));
  EXPECT_TRUE(has(page, "shoal_mqtt_dropped_total{" + std::string{sink}
                          + ",reason=\"disconnected\"} 6"));
  EXPECT_TRUE(has(page, "shoal_mqtt_dropped_total{" + std::string{sink}
                          + ",reason=\"queue_full\"} 3"));
  EXPECT_TRUE(has(page, "shoal_mqtt_connected{member=\"m0\",sink=\"mqtt://"
                        "127.0.0.1:1883 shoal/out (2)\"} 0"));
  EXPECT_EQ(page.find("127.0.0.1:7000"), std::string::npos);
}

TEST(PrometheusOwn, ClusterScopeShowsEveryMember) {
  auto model = member_model();
  auto page = render_metrics(model, model.latency, metrics_scope::cluster);
  auto plain = sample_status(2, 20);
  plain.endpoints = model.endpoints;
  EXPECT_EQ(page, render_metrics(plain, plain.latency));
  EXPECT_TRUE(
    has(page, "shoal_samples_total{member=\"m1\",reason=\"malformed\"} 3"));
  EXPECT_EQ(page.find("shoal_node_"), std::string::npos);
  // Through the route, and a scope it does not know.
  status_provider provider = [&] {
    return model;
  };
  EXPECT_EQ(route_request("GET", "/metrics?scope=cluster", provider).body,
            page);
  EXPECT_EQ(route_request("GET", "/metrics?scope=member", provider).body,
            render_metrics(model, model.latency));
  EXPECT_EQ(route_request("GET", "/metrics?scope=all", provider).status, 400u);
}

TEST(PrometheusOwn, PromtoolAcceptsEveryPage) {
  auto model = member_model();
  EXPECT_EQ(promtool_check(render_metrics(model, model.latency)), "");
  EXPECT_EQ(promtool_check(
              render_metrics(model, model.latency, metrics_scope::cluster)),
            "");
  auto plain = sample_status(3, 200);
  EXPECT_EQ(promtool_check(render_metrics(plain, plain.latency)), "");
}
