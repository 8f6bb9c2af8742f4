// The live sources on CAF's deterministic test scheduler and a manual wall
// clock: what each sensor gets, with exactly which watermark, and which
// samples are rejected for which reason.

#include <cmath>
#include <gtest/gtest.h>
#include <limits>

#include "actors/sources/ingest_source.hpp"
#include "actors/sources/live_source.hpp"
#include "runtime/core/clock.hpp"
#include "runtime/core/metrics.hpp"
#include "tests/support/test_system.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

constexpr uint64_t key = 9;
constexpr int64_t lateness = 100;
constexpr auto tick = std::chrono::milliseconds(1);

using got = std::vector<std::pair<std::vector<point>, int64_t>>;

got received(const probe_log& log) {
  got result;
  for (auto& b : log.batches) {
    EXPECT_EQ(b.from, key);
    result.emplace_back(b.points, b.wm);
  }
  return result;
}

/// One sample per sensor at every multiple of 100 ns, valued ts / 100.
class grid_feed : public sample_feed {
public:
  const std::vector<std::string>& sensor_names() const override {
    return names_;
  }

  void generate(int64_t from_ns, int64_t to_ns,
                std::vector<sim_sample>& out) override {
    for (auto t = (from_ns + 99) / 100 * 100; t < to_ns; t += 100)
      for (uint32_t s = 0; s < names_.size(); ++s)
        out.push_back(sim_sample{s, t, static_cast<double>(t / 100)});
  }

private:
  std::vector<std::string> names_{"a", "b"};
};

class LiveSources : public ::testing::Test {
protected:
  LiveSources() {
    opts.allowed_lateness_ns = lateness;
    opts.tick = tick;
    opts.clock = &clock;
    opts.live = &live;
  }

  std::vector<caf::actor> handles() const {
    return {a.actor, b.actor};
  }

  /// What `src` answers to a stats request: its counts and its first
  /// malformed-sample messages.
  std::pair<ingest_counts, std::vector<std::string>>
  stats_of(const caf::actor& src) {
    caf::send_as(a.actor, src, stats_atom_v);
    ts.run();
    EXPECT_EQ(a.log->others.size(), 1u);
    if (a.log->others.size() != 1u)
      return {};
    auto& stats = a.log->others.back();
    bool typed
      = stats
          .match_elements<ingest_counts, std::vector<std::string>, uint64_t>();
    EXPECT_TRUE(typed);
    if (!typed)
      return {};
    EXPECT_EQ(stats.get_as<uint64_t>(2), 0u);
    return {stats.get_as<ingest_counts>(0),
            stats.get_as<std::vector<std::string>>(1)};
  }

  test_system ts;
  manual_clock clock{1000};
  metrics live;
  live_options opts;
  std::shared_ptr<const sensor_directory> dir
    = std::make_shared<sensor_directory>(std::vector<std::string>{"a", "b"});
  probed a = ts.spawn_probe();
  probed b = ts.spawn_probe();
};

} // namespace

TEST_F(LiveSources, LiveSourceWatermarkIsTheManualClockLessTheLateness) {
  auto src = ts.spawn(live_source, std::make_shared<grid_feed>(), dir,
                      handles(), key, opts);
  ts.run();
  clock.set(1250);
  caf::anon_send(src, caf::tick_atom_v);
  ts.run();
  EXPECT_EQ(received(*a.log),
            (got{{{{1000, 10.0}, {1100, 11.0}, {1200, 12.0}}, 1150}}));
  EXPECT_EQ(received(*b.log),
            (got{{{{1000, 10.0}, {1100, 11.0}, {1200, 12.0}}, 1150}}));
  // Sensor a waits for 1290; the next tick (CAF's clock, 1 ms later) comes
  // at wall clock 1400 and answers it.
  caf::send_as(a.actor, src, src_need_atom_v, int64_t{1290}, uint32_t{0});
  ts.run();
  clock.set(1400);
  EXPECT_EQ(ts.advance(tick), 3u);
  EXPECT_EQ(received(*a.log),
            (got{{{{1000, 10.0}, {1100, 11.0}, {1200, 12.0}}, 1150},
                 {{{1300, 13.0}}, 1300}}));
  caf::anon_send(src, done_atom_v);
  ts.run();
  EXPECT_EQ(received(*b.log).back(),
            (std::pair<std::vector<point>, int64_t>{{}, wm_end}));
  EXPECT_EQ(live.backlog(), 6);
  EXPECT_EQ(live.samples_rejected(), 0u);
}

TEST_F(LiveSources, IngestSourceCountsRejectedSamplesByReason) {
  auto inbox = std::make_shared<sample_inbox>();
  auto src = ts.spawn(ingest_source, inbox, dir, handles(), key, opts);
  ts.run();
  inbox->push("a", 950, 1.0);
  inbox->push("b", 960, 2.0);
  inbox->push("zz", 970, 3.0);
  inbox->push("a", 980, std::numeric_limits<double>::quiet_NaN());
  inbox->push_malformed("plant/x", "not a number");
  clock.set(1050);
  caf::anon_send(src, caf::tick_atom_v);
  ts.run();
  EXPECT_EQ(received(*a.log), (got{{{{950, 1.0}}, 950}}));
  EXPECT_EQ(received(*b.log), (got{{{{960, 2.0}}, 950}}));
  // At or before the watermark: late.
  inbox->push("a", 940, 4.0);
  inbox->push("b", 1150, 5.0);
  clock.set(1200);
  ts.advance(tick);
  EXPECT_EQ(received(*a.log), (got{{{{950, 1.0}}, 950}}));
  EXPECT_EQ(received(*b.log),
            (got{{{{960, 2.0}}, 950}, {{{1150, 5.0}}, 1100}}));
  auto [counts, messages] = stats_of(src);
  EXPECT_EQ(counts.accepted, 3u);
  EXPECT_EQ(counts[reject_reason::malformed], 1u);
  EXPECT_EQ(counts[reject_reason::unknown_sensor], 1u);
  EXPECT_EQ(counts[reject_reason::non_finite], 1u);
  EXPECT_EQ(counts[reject_reason::late], 1u);
  EXPECT_EQ(counts[reject_reason::out_of_order], 0u);
  EXPECT_EQ(messages, std::vector<std::string>{"plant/x: not a number"});
  // The rejected samples and the batches went to the counters handed in.
  EXPECT_EQ(live.samples_rejected(), 4u);
  EXPECT_EQ(live.backlog(), 3);
}

TEST_F(LiveSources, IngestSourceRejectsSentinelTimestampsAsMalformed) {
  // A published sample at INT64_MAX would read as the end of sensor a's
  // stream: it is malformed, never forwarded, and a's later samples flow.
  auto inbox = std::make_shared<sample_inbox>();
  auto src = ts.spawn(ingest_source, inbox, dir, handles(), key, opts);
  ts.run();
  inbox->push("a", std::numeric_limits<int64_t>::max(), 1.0);
  inbox->push("a", std::numeric_limits<int64_t>::min(), 2.0);
  inbox->push("a", 950, 3.0);
  clock.set(1050);
  caf::anon_send(src, caf::tick_atom_v);
  ts.run();
  inbox->push("a", 1100, 4.0);
  clock.set(1200);
  ts.advance(tick);
  EXPECT_EQ(received(*a.log),
            (got{{{{950, 3.0}}, 950}, {{{1100, 4.0}}, 1100}}));
  auto [counts, messages] = stats_of(src);
  EXPECT_EQ(counts.accepted, 2u);
  EXPECT_EQ(counts[reject_reason::malformed], 2u);
  EXPECT_EQ(counts.rejected_total(), 2u);
  EXPECT_EQ(messages,
            (std::vector<std::string>{
              "a: timestamp 9223372036854775807 is reserved (watermark "
              "sentinel)",
              "a: timestamp -9223372036854775808 is reserved (watermark "
              "sentinel)"}));
  EXPECT_EQ(live.samples_rejected(), 2u);
}

TEST_F(LiveSources, IngestSourceReportsItsLagAndBacklog) {
  // Room for two single samples: the third is refused.
  auto inbox = std::make_shared<sample_inbox>(2);
  opts.name = "tcp #1 127.0.0.1:7790";
  auto src = ts.spawn(ingest_source, inbox, dir, handles(), key, opts);
  ts.run();
  clock.set(1050);
  caf::anon_send(src, caf::tick_atom_v);
  ts.run();
  // No tick since: the watermark stays at 950 while the clock goes on.
  clock.set(1300);
  EXPECT_TRUE(inbox->push("a", 1100, 1.0));
  EXPECT_TRUE(inbox->push("b", 1100, 2.0));
  EXPECT_FALSE(inbox->push("a", 1200, 3.0));
  auto lag_of = [&] {
    caf::send_as(a.actor, src, stats_atom_v, caf::get_atom_v);
    ts.run();
    EXPECT_FALSE(a.log->others.empty());
    auto x = a.log->others.empty() ? caf::message{} : a.log->others.back();
    a.log->others.clear();
    return x;
  };
  auto x = lag_of();
  ASSERT_TRUE((x.match_elements<std::string, int64_t, int64_t, uint64_t, bool,
                                uint64_t>()));
  EXPECT_EQ(x.get_as<std::string>(0), "tcp #1 127.0.0.1:7790");
  EXPECT_EQ(x.get_as<int64_t>(1), 950);
  EXPECT_EQ(x.get_as<int64_t>(2), 350);
  EXPECT_EQ(x.get_as<uint64_t>(3), 2u);
  EXPECT_TRUE(x.get_as<bool>(4));
  EXPECT_EQ(x.get_as<uint64_t>(5), 1u);
  // A tick drains the inbox and raises the watermark to the clock less
  // the lateness; at end of stream the lag is unknown.
  ts.advance(tick);
  x = lag_of();
  EXPECT_EQ(x.get_as<int64_t>(1), 1200);
  EXPECT_EQ(x.get_as<int64_t>(2), lateness);
  EXPECT_EQ(x.get_as<uint64_t>(3), 0u);
  EXPECT_FALSE(x.get_as<bool>(4));
  caf::anon_send(src, done_atom_v);
  ts.run();
  x = lag_of();
  EXPECT_EQ(x.get_as<int64_t>(2), -1);
}
