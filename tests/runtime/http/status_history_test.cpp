// The ring of recent points behind the status page's time charts, and its
// place in /status.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "runtime/http/status_board.hpp"
#include "runtime/http/status_history.hpp"

using namespace shoal;

namespace {

totals_status rates(double samples, double outputs) {
  totals_status t;
  t.samples_per_s = samples;
  t.outputs_per_s = outputs;
  return t;
}

} // namespace

TEST(StatusHistory, KeepsTheNewestPointsOldestFirst) {
  status_history h{3};
  latency_histogram none;
  for (int i = 1; i <= 5; ++i)
    h.record(1000 * i, rates(10.0 * i, i), none);
  auto xs = h.points();
  ASSERT_EQ(xs.size(), 3u);
  EXPECT_EQ(xs[0].unix_ms, 3000);
  EXPECT_EQ(xs[2].unix_ms, 5000);
  EXPECT_EQ(xs[0].samples_per_s, 30.0);
  EXPECT_EQ(xs[2].outputs_per_s, 5.0);
  EXPECT_FALSE(xs[2].p50_ns.has_value());
}

TEST(StatusHistory, LatencyIsOfTheOutputsSinceThePointBefore) {
  status_history h;
  latency_histogram cumulative;
  for (int i = 0; i < 100; ++i)
    cumulative.record(1'000'000); // 1 ms
  h.record(1000, rates(0, 0), cumulative);
  for (int i = 0; i < 100; ++i)
    cumulative.record(100'000'000); // 100 ms
  h.record(2000, rates(0, 0), cumulative);
  h.record(3000, rates(0, 0), cumulative);
  auto xs = h.points();
  ASSERT_EQ(xs.size(), 3u);
  ASSERT_TRUE(xs[0].p50_ns && xs[0].p99_ns);
  EXPECT_NEAR(static_cast<double>(*xs[0].p99_ns), 1e6, 1e6 / 8);
  // Since start, p50 would be 1 ms; since the point before, only the slow
  // outputs count.
  ASSERT_TRUE(xs[1].p50_ns);
  EXPECT_NEAR(static_cast<double>(*xs[1].p50_ns), 1e8, 1e8 / 8);
  // No output since: unknown, not zero.
  EXPECT_FALSE(xs[2].p50_ns.has_value());
  EXPECT_FALSE(xs[2].p99_ns.has_value());
}

TEST(StatusHistory, AHistogramThatStartedAgainCountsWhole) {
  latency_histogram before;
  for (int i = 0; i < 10; ++i)
    before.record(5'000'000);
  latency_histogram now;
  now.record(2'000'000);
  auto recent = latency_since(now, before);
  EXPECT_EQ(recent.count(), 1u);
  EXPECT_NEAR(static_cast<double>(recent.quantile(0.5)), 2e6, 2e6 / 8);
  // The same count in another bucket: a restart too, not a negative count.
  latency_histogram moved;
  for (int i = 0; i < 10; ++i)
    moved.record(1'000);
  EXPECT_EQ(latency_since(moved, before).count(), 10u);
}

TEST(StatusHistory, TheBoardRecordsEveryRefreshAndStatusShowsIt) {
  status_board board;
  status_model m;
  m.totals.samples_per_s = 4000;
  m.totals.outputs_per_s = 700;
  m.latency.record(3'000'000);
  board.store(m, member_readiness{});
  m.totals.samples_per_s = 4100;
  board.store(m, member_readiness{});
  auto snap = board.snapshot();
  ASSERT_EQ(snap.history.size(), 2u);
  EXPECT_LE(snap.history[0].unix_ms, snap.history[1].unix_ms);
  auto doc = nlohmann::json::parse(render_status_json(snap));
  auto& h = doc.at("history");
  EXPECT_EQ(h.at("unix_ms").size(), 2u);
  EXPECT_EQ(h.at("samples_per_s"), nlohmann::json::array({4000.0, 4100.0}));
  EXPECT_EQ(h.at("outputs_per_s")[1], 700.0);
  EXPECT_NEAR(h.at("p99_ns")[0].get<double>(), 3e6, 3e6 / 8);
  // The second refresh saw no new output.
  EXPECT_TRUE(h.at("p50_ns")[1].is_null());
}
