// `shoal-bench live` end to end: the real binary on a tiny plant, fed on the
// wall clock. Behaviour only: which fields it reports and that it measured
// something, never how fast.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/process.hpp"

using namespace shoal::test_support;
using json = nlohmann::json;

namespace {

/// A plant of 60 nodes (6 sensors x (1 + 3 features + 6 models)) at 600
/// samples/s for 2 s, of which the first is warm-up.
const std::string tiny
  = " --sensors 6 --rate 600 --duration 2 --threads 2 --json";

json last_json(const std::string& output) {
  auto start = output.rfind("\n{");
  auto text = output.substr(start == std::string::npos ? 0 : start + 1);
  return json::parse(text, nullptr, false);
}

void expect_ordered(const json& l) {
  for (const char* q : {"p50", "p99", "p999", "max"})
    ASSERT_TRUE(l.contains(q)) << q << " missing in " << l.dump();
  EXPECT_LE(l["p50"].get<double>(), l["p99"].get<double>());
  EXPECT_LE(l["p99"].get<double>(), l["p999"].get<double>());
  EXPECT_GT(l["max"].get<double>(), 0.0);
}

} // namespace

TEST(ShoalBenchLive, ReportsLatencyOfAllAndOfSingleSensorOutputs) {
  auto res = run_command(binary("shoal-bench") + " live" + tiny);
  ASSERT_EQ(res.exit_code, 0) << res.output;
  auto j = last_json(res.output);
  ASSERT_TRUE(j.is_object()) << res.output;
  EXPECT_EQ(j["command"], "live");
  EXPECT_EQ(j["nodes"], 60);
  EXPECT_EQ(j["lateness_ns"], 0);
  EXPECT_GT(j["live_rate"].get<double>(), 0.0);
  EXPECT_GT(j["live_samples"].get<double>(), 0.0);
  EXPECT_GT(j["live_outputs"].get<double>(), 0.0);
  EXPECT_GT(j["live_single_outputs"].get<double>(), 0.0);
  // Layer-0 models are single-sensor outputs; layers 1-3 join other sensors.
  EXPECT_LT(j["live_single_outputs"].get<double>(),
            j["live_outputs"].get<double>());
  expect_ordered(j["latency_ms"]);
  expect_ordered(j["latency_single_ms"]);
  // Not a throughput run: no figures of runs that did not take place.
  EXPECT_FALSE(j.contains("limit_firings_per_s"));
  EXPECT_FALSE(j.contains("replay_firings_per_s"));
}

TEST(ShoalBenchLive, TableShowsTheLiveFigures) {
  auto res = run_command(binary("shoal-bench")
                         + " live --sensors 6 --rate 600 --duration 2"
                           " --lateness-ns 5000000");
  ASSERT_EQ(res.exit_code, 0) << res.output;
  EXPECT_NE(res.output.find("all outputs"), std::string::npos) << res.output;
  EXPECT_NE(res.output.find("single-sensor nodes"), std::string::npos);
}

TEST(ShoalBenchLive, RejectsBadLiveOptions) {
  EXPECT_EQ(
    run_command(binary("shoal-bench") + " live --duration 0.5").exit_code, 2);
  EXPECT_EQ(
    run_command(binary("shoal-bench") + " live --lateness-ns -3").exit_code, 2);
}
