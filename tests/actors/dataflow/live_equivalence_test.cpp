// Live runs with progress tracking must compute exactly what the reference
// evaluator computes over the samples they accepted: band frontiers may
// only let a join fire once everything at or before its timestamp arrived.
// Random graphs, samples on the wall clock with equal timestamps across
// sensors, 1 and 3 scheduler threads, with cells
// (actors/dataflow/cell_actor.hpp), with cell groups, and with one actor per
// node.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <gtest/gtest.h>
#include <iterator>
#include <mutex>
#include <random>
#include <thread>

#include "caf/all.hpp"

#include "actors/deploy/deployment.hpp"
#include "actors/deploy/system_config.hpp"
#include "actors/messages.hpp"
#include "actors/sources/live_source.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/io/output_sink.hpp"
#include "runtime/semantics/reference_evaluator.hpp"
#include "tests/support/random_graph.hpp"

using namespace shoal;

namespace {

/// Samples of every sensor at random times of each window, some at one
/// timestamp across sensors, all after the window's start (the source's
/// watermark with lateness 0) and increasing per sensor. Keeps them all.
/// Stops once it made `limit` samples (its watermark still advances), so
/// that a run sees the same amount of data however fast the machine is.
class random_feed : public sample_feed {
public:
  random_feed(std::vector<std::string> sensors, uint64_t seed, size_t limit)
    : names_(std::move(sensors)), rng_(seed), limit_(limit) {
    // nop
  }

  const std::vector<std::string>& sensor_names() const override {
    return names_;
  }

  void generate(int64_t from_ns, int64_t to_ns,
                std::vector<sim_sample>& out) override {
    if (to_ns - from_ns < 2 || full())
      return;
    std::uniform_int_distribution<int64_t> when{from_ns + 1, to_ns - 1};
    std::uniform_real_distribution<double> value{-10.0, 10.0};
    std::bernoulli_distribution sampled{0.5};
    auto shared = when(rng_);
    std::bernoulli_distribution share{0.3};
    for (uint32_t s = 0; s < names_.size(); ++s) {
      if (!sampled(rng_))
        continue;
      auto ts = share(rng_) ? shared : when(rng_);
      out.push_back({s, ts, value(rng_)});
      log.push_back(out.back());
    }
    count(out.size());
    if (log.size() >= limit_)
      full_.store(true, std::memory_order_release);
  }

  /// Whether the feed made its last sample; `log` is final once it did
  /// (readable from any thread).
  bool full() const {
    return full_.load(std::memory_order_acquire);
  }

  /// Every sample generated, for the reference run.
  std::vector<sim_sample> log;

private:
  std::vector<std::string> names_;
  std::mt19937_64 rng_;
  size_t limit_;
  std::atomic<bool> full_{false};
};

/// Samples a run needs at least (the assertion below) and how many it makes.
constexpr size_t min_samples = 100;
constexpr size_t feed_limit = 150;

/// The reference's outputs over `log`, fed in timestamp order.
caf::expected<run_result>
reference_over(const graph_spec& g, const std::vector<std::string>& sensors,
               std::vector<sim_sample> log) {
  std::stable_sort(log.begin(), log.end(),
                   [](const sim_sample& x, const sim_sample& y) {
                     return x.ts < y.ts;
                   });
  auto eval = reference_evaluator::make(g, 0);
  if (!eval)
    return std::move(eval.error());
  for (auto& x : log)
    eval->offer(sensors[x.sensor], x.ts, x.value);
  eval->finish();
  return eval->take_result();
}

/// Generous: a run waits for its data, never for a fixed time.
constexpr auto run_deadline = std::chrono::minutes(2);

struct live_case {
  uint64_t seed;
  size_t threads;
  bool fuse = true;
  /// deploy_options::cell_groups.
  size_t groups = 0;
};

std::string case_name(const ::testing::TestParamInfo<live_case>& i) {
  return "seed" + std::to_string(i.param.seed) + "_threads"
         + std::to_string(i.param.threads) + (i.param.fuse ? "" : "_unfused")
         + (i.param.groups > 0 ? "_groups" + std::to_string(i.param.groups)
                               : "");
}

class LiveEquivalence : public ::testing::TestWithParam<live_case> {};

} // namespace

TEST_P(LiveEquivalence, TrackedLiveRunEqualsReferenceOverAcceptedSamples) {
  auto [seed, threads, fuse, groups] = GetParam();
  auto g = test_support::random_graph(seed);
  std::vector<std::string> sensors;
  for (auto& n : g.nodes)
    if (n.kind == node_kind::sensor)
      sensors.push_back(n.name);
  auto feed = std::make_shared<random_feed>(sensors, seed, feed_limit);
  auto out = std::make_shared<memory_sink>();
  uint64_t before_end = 0;
  uint64_t accepted = 0;
  {
    caf::actor_system_config cfg;
    configure_system(cfg, threads);
    caf::actor_system sys{cfg};
    caf::scoped_actor self{sys};
    auto monitor = caf::actor_cast<caf::actor>(self);
    deploy_options dopts;
    dopts.track_progress = true;
    dopts.fuse = fuse;
    dopts.cell_groups = groups;
    auto d = deploy_with_sink(self, g, out, monitor, {}, dopts);
    ASSERT_TRUE(d) << describe(d.error());
    ASSERT_TRUE(d->tracker);
    live_options lo;
    lo.allowed_lateness_ns = 0;
    lo.tracker = d->tracker;
    auto key = node_key("source:test");
    auto source
      = self->spawn(live_source, feed, d->sensors, d->sensor_actors, key, lo);
    ASSERT_FALSE(attach_source(self, *d, source, key));
    self->send(source, caf::tick_atom_v);
    // The feed makes all its samples, however long that takes here.
    auto deadline = std::chrono::steady_clock::now() + run_deadline;
    while (!feed->full() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    EXPECT_TRUE(feed->full()) << "the feed made " << feed->generated() << " of "
                              << feed_limit << " samples";
    // Joins fire while the run goes on, not only at end of stream: more
    // than half of the outputs arrive before it (the watermark advances
    // with the clock, samples or not).
    size_t expected_rows = 0;
    if (feed->full())
      if (auto ref = reference_over(g, sensors, feed->log))
        expected_rows = ref->outputs.size();
    for (bool more = true; more;) {
      self->request(d->sink, std::chrono::seconds(10), latency_atom_v, false)
        .receive(
          [&](const std::vector<uint64_t>& figures) {
            before_end = figures[0];
          },
          [&](caf::error& err) {
            ADD_FAILURE() << describe(err);
            more = false;
          });
      more = more && before_end * 2 <= expected_rows
             && std::chrono::steady_clock::now() < deadline;
      if (more)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    self->send(source, done_atom_v);
    // The sink's end, and a report of every sensor and node.
    size_t pending = 1 + g.nodes.size();
    self->receive_while([&] {
      return pending > 0;
    })(
      [&](report_atom, std::string&, node_counts&) {
        --pending;
      },
      [&](report_atom, std::string&, ingest_counts& counts) {
        accepted += counts.accepted;
        --pending;
      },
      [&](done_atom, uint64_t, caf::error& err) {
        EXPECT_FALSE(err) << describe(err);
        --pending;
      },
      caf::after(std::chrono::seconds(30)) >>
        [&] {
          ADD_FAILURE() << "no end of stream after 30 s";
          pending = 0;
        });
    // Every counted item is released (an actor releases its last batch
    // just after its report).
    deadline = std::chrono::steady_clock::now() + run_deadline;
    while (d->tracker->outstanding() != 0
           && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    EXPECT_EQ(d->tracker->outstanding(), 0);
  }
  // The reference over the same samples, in timestamp order.
  auto& log = feed->log;
  ASSERT_GT(log.size(), min_samples);
  auto want = reference_over(g, sensors, log);
  ASSERT_TRUE(want) << describe(want.error());
  EXPECT_EQ(want->ingest.accepted, log.size());
  EXPECT_EQ(accepted, log.size());
  auto want_rows = want->outputs;
  auto got_rows = out->rows;
  std::sort(want_rows.begin(), want_rows.end());
  std::sort(got_rows.begin(), got_rows.end());
  EXPECT_EQ(got_rows.size(), want_rows.size());
  EXPECT_TRUE(got_rows == want_rows);
  if (got_rows != want_rows) {
    std::vector<output_row> missing;
    std::vector<output_row> extra;
    std::set_difference(want_rows.begin(), want_rows.end(), got_rows.begin(),
                        got_rows.end(), std::back_inserter(missing));
    std::set_difference(got_rows.begin(), got_rows.end(), want_rows.begin(),
                        want_rows.end(), std::back_inserter(extra));
    for (auto& r : missing)
      ADD_FAILURE() << "missing " << r.node << " " << r.ts << " " << r.value;
    for (auto& r : extra)
      ADD_FAILURE() << "extra " << r.node << " " << r.ts << " " << r.value;
  }
  EXPECT_GT(want_rows.size(), 0u);
  EXPECT_GT(before_end * 2, want_rows.size());
}

namespace {

std::vector<live_case> all_cases() {
  std::vector<live_case> result;
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    for (size_t threads : {size_t{1}, size_t{3}})
      result.push_back({seed, threads});
    result.push_back({seed, 3, false});
    result.push_back(
      {seed, seed % 2 == 0 ? size_t{1} : size_t{3}, true, seed % 3 + 2});
  }
  return result;
}

} // namespace

INSTANTIATE_TEST_SUITE_P(RandomGraphs, LiveEquivalence,
                         ::testing::ValuesIn(all_cases()), case_name);
