// shoal-bench end to end: the real binary on a tiny plant, through the shell.
// Behaviour only: which fields it reports and whether its runs agree, never
// how fast they were.

#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "tests/support/process.hpp"

using namespace shoal::test_support;
using json = nlohmann::json;

namespace {

/// A plant of 60 nodes: 6 sensors x (1 + 3 features + 6 models).
const std::string tiny = " --sensors 6 --samples 3000 --rate 600 --threads 2";

std::string bench(const std::string& args) {
  return binary("shoal-bench") + " " + args;
}

/// The JSON object on the last line of `output` (stderr has progress).
json last_json(const std::string& output) {
  auto start = output.rfind("\n{");
  auto text = output.substr(start == std::string::npos ? 0 : start + 1);
  return json::parse(text, nullptr, false);
}

} // namespace

TEST(ShoalBench, StandardRunReportsEveryFieldAndAgrees) {
  auto res = run_command(bench("--json" + tiny));
  ASSERT_EQ(res.exit_code, 0) << res.output;
  auto j = last_json(res.output);
  ASSERT_TRUE(j.is_object()) << res.output;
  for (const char* field :
       {"nodes", "samples", "firings", "limit_firings_per_s",
        "replay_firings_per_s", "replay_vs_limit", "rss_bytes_per_node",
        "load_s", "outputs_equal", "shutdown_s"})
    EXPECT_TRUE(j.contains(field)) << field << " missing in " << j.dump();
  EXPECT_EQ(j["command"], "standard");
  EXPECT_EQ(j["nodes"], 60);
  EXPECT_EQ(j["scale_nodes"], 60);
  EXPECT_EQ(j["samples"], 3000);
  EXPECT_EQ(j["outputs_equal"], true);
  EXPECT_GT(j["firings"].get<double>(), 3000.0);
  EXPECT_EQ(j["limit"]["firings"], j["replay"]["firings"]);
  EXPECT_EQ(j["limit"]["outputs"], j["replay"]["outputs"]);
  EXPECT_GT(j["limit_firings_per_s"].get<double>(), 0.0);
  EXPECT_GT(j["replay_firings_per_s"].get<double>(), 0.0);
  // The standard run has no live part (`shoal-bench live` does): a figure
  // that was not measured is absent, never made up.
  EXPECT_FALSE(j.contains("latency_ms"));
  EXPECT_FALSE(j.contains("latency_single_ms"));
  EXPECT_FALSE(j.contains("live_rate"));
}

TEST(ShoalBench, RunsAreDeterministic) {
  auto a = last_json(run_command(bench("replay --json" + tiny)).output);
  auto b = last_json(run_command(bench("replay --json" + tiny)).output);
  ASSERT_TRUE(a.is_object() && b.is_object());
  EXPECT_EQ(a["outputs_equal"], true);
  EXPECT_EQ(a["firings"], b["firings"]);
  EXPECT_EQ(a["outputs"], b["outputs"]);
  EXPECT_EQ(a["limit"]["errors"], b["limit"]["errors"]);
  auto c
    = last_json(run_command(bench("replay --json --seed 9" + tiny)).output);
  EXPECT_EQ(c["outputs_equal"], true);
}

TEST(ShoalBench, LimitAndScaleReportTheirOwnFigures) {
  auto limit = run_command(bench("limit --json" + tiny));
  ASSERT_EQ(limit.exit_code, 0) << limit.output;
  auto l = last_json(limit.output);
  EXPECT_TRUE(l.contains("limit_firings_per_s"));
  EXPECT_FALSE(l.contains("replay_firings_per_s"));
  EXPECT_FALSE(l.contains("outputs_equal"));
  auto scale = run_command(bench("scale --json --nodes 505 --threads 1"));
  ASSERT_EQ(scale.exit_code, 0) << scale.output;
  auto s = last_json(scale.output);
  // 505 nodes round up to 51 sensors of 10 nodes.
  EXPECT_EQ(s["nodes"], 510);
  EXPECT_EQ(s["sensors"], 51);
  EXPECT_TRUE(s.contains("load_s"));
  EXPECT_TRUE(s.contains("rss_bytes_per_node"));
  EXPECT_FALSE(s.contains("firings"));
}

TEST(ShoalBench, PrintsATableWithTheVerdict) {
  auto res = run_command(bench("replay" + tiny + " --lua-share 0.5"));
  ASSERT_EQ(res.exit_code, 0) << res.output;
  EXPECT_NE(res.output.find("limit (reference)"), std::string::npos);
  EXPECT_NE(res.output.find("replay (actors)"), std::string::npos);
  EXPECT_NE(res.output.find("outputs equal: yes"), std::string::npos)
    << res.output;
}

TEST(ShoalBench, RejectsBadUsage) {
  for (const char* args : {"bogus", "--sensors 0", "--layers 9",
                           "--lua-share 2", "--samples", "--frobnicate 1"}) {
    auto res = run_command(bench(args));
    EXPECT_EQ(res.exit_code, 2) << args << ": " << res.output;
    EXPECT_NE(res.output.find("usage: shoal-bench"), std::string::npos) << args;
  }
  auto help = run_command(bench("--help"));
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.output.find("--join-fanin"), std::string::npos);
}

TEST(ShoalBench, PrintsItsVersion) {
  auto res = run_command(bench("--version"));
  EXPECT_EQ(res.exit_code, 0) << res.output;
  EXPECT_EQ(res.output.rfind("shoal-bench 0.", 0), 0u) << res.output;
  EXPECT_NE(res.output.find(" (commit "), std::string::npos) << res.output;
}

TEST(ShoalBench, ItsCommandsNameWhatIsWrongAndExitTwo) {
  auto res = run_command(bench("models --bogus"));
  EXPECT_EQ(res.exit_code, 2) << res.output;
  EXPECT_NE(res.output.find("unknown option '--bogus'"), std::string::npos)
    << res.output;
  res = run_command(bench("checkpoint-dir"));
  EXPECT_EQ(res.exit_code, 2) << res.output;
  EXPECT_NE(res.output.find("usage: shoal-bench checkpoint-dir"),
            std::string::npos)
    << res.output;
  res = run_command(bench("checkpoint-store --help"));
  EXPECT_EQ(res.exit_code, 0) << res.output;
  EXPECT_NE(res.output.find("--state-bytes"), std::string::npos) << res.output;
}

TEST(ShoalBench, FunctionsTimesEveryBuiltInPerWindow) {
  auto res = run_command(binary("shoal-bench")
                         + " functions --samples 3000 --json 2>&1");
  ASSERT_EQ(res.exit_code, 0) << res.output;
  auto doc = nlohmann::json::parse(res.output, nullptr, false);
  ASSERT_TRUE(doc.is_array()) << res.output;
  std::map<std::string, std::set<int64_t>> windows;
  for (auto& row : doc) {
    EXPECT_GT(row["ns"].get<double>(), 0.0) << row.dump();
    windows[row["fn"].get<std::string>()].insert(row["window"].get<int64_t>());
  }
  for (auto* fn :
       {"clip", "scale", "deadband", "ewma", "diff", "tumbling_mean"})
    EXPECT_EQ(windows[fn], std::set<int64_t>{0}) << fn;
  for (auto* fn : {"rolling_mean", "rolling_std", "rolling_max",
                   "rolling_quantile", "zscore"})
    EXPECT_EQ(windows[fn], (std::set<int64_t>{10, 1000, 100000})) << fn;
  res = run_command(binary("shoal-bench") + " functions --samples 0 2>&1");
  EXPECT_EQ(res.exit_code, 2) << res.output;
}
