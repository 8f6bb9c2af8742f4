// The reference evaluator against SPEC section 3 taken literally, on random
// graphs and inputs.

#include <cmath>
#include <gtest/gtest.h>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "runtime/core/counters.hpp"
#include "runtime/core/types.hpp"
#include "runtime/functions/fn_factory.hpp"
#include "runtime/semantics/reference_evaluator.hpp"
#include "tests/support/reference_run.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

/// SPEC section 3 taken literally, in one batch: decide acceptance row by
/// row, then visit every accepted timestamp and every node in graph order.
/// The evaluator must agree with it although it works incrementally.
run_result literal_semantics(const graph_spec& g,
                             const std::vector<sample>& input,
                             int64_t lateness) {
  run_result res;
  res.nodes.resize(g.nodes.size());
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < g.nodes.size(); ++i)
    index[g.nodes[i].name] = i;
  std::map<int64_t, std::vector<std::pair<size_t, double>>> accepted;
  std::map<size_t, int64_t> last;
  std::optional<int64_t> max_ts;
  for (const auto& s : input) {
    auto i = index.find(s.sensor);
    reject_reason why = reject_reason::malformed;
    if (i == index.end())
      why = reject_reason::unknown_sensor;
    else if (!std::isfinite(s.value))
      why = reject_reason::non_finite;
    else if (max_ts && s.ts <= *max_ts - 1 - lateness)
      why = reject_reason::late;
    else if (last.count(i->second) && s.ts <= last[i->second])
      why = reject_reason::out_of_order;
    if (why != reject_reason::malformed) {
      ++res.ingest[why];
      continue;
    }
    ++res.ingest.accepted;
    last[i->second] = s.ts;
    max_ts = std::max(max_ts.value_or(s.ts), s.ts);
    accepted[s.ts].emplace_back(i->second, s.value);
  }
  std::vector<node_fn_ptr> fns(g.nodes.size());
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (g.nodes[i].kind != node_kind::sensor)
      fns[i] = std::move(*make_fn(g.nodes[i]));
  std::vector<std::optional<point>> latest(g.nodes.size());
  auto produce = [&](size_t n, int64_t t, double x) {
    latest[n] = point{t, x};
    if (g.nodes[n].emit)
      res.outputs.push_back({g.nodes[n].name, t, x});
  };
  for (const auto& [t, samples] : accepted) {
    for (const auto& [n, x] : samples)
      produce(n, t, x);
    for (size_t n = 0; n < g.nodes.size(); ++n) {
      const auto& spec = g.nodes[n];
      const auto& trig = spec.trigger.empty() ? spec.needs : spec.trigger;
      bool triggered = false;
      for (const auto& name : trig)
        triggered |= latest[index[name]] && latest[index[name]]->ts == t;
      std::vector<double> args;
      for (const auto& name : spec.needs)
        if (latest[index[name]])
          args.push_back(latest[index[name]]->value);
      if (!fns[n] || !triggered || args.size() != spec.needs.size())
        continue;
      ++res.nodes[n].firings;
      double out = 0;
      std::string err;
      auto st = fns[n]->call(t, args.data(), args.size(), out, err);
      if (st == fn_status::value && std::isfinite(out)) {
        ++res.nodes[n].outputs;
        produce(n, t, out);
      } else if (st != fn_status::none) {
        ++res.nodes[n].errors;
      }
    }
  }
  return res;
}

graph_spec random_graph(std::mt19937& rng) {
  graph_spec g{{sensor("s0"), sensor("s1"), sensor("s2"), sensor("s3")}};
  auto pick = [&](size_t n) {
    return static_cast<size_t>(rng() % n);
  };
  for (int i = 0; i < 12; ++i) {
    auto name = "n" + std::to_string(i);
    auto input = [&] {
      return g.nodes[pick(g.nodes.size())].name;
    };
    switch (pick(4)) {
      case 0: g.nodes.push_back(feature(name, "diff", input())); break;
      case 1:
        g.nodes.push_back(feature(name, "rolling_mean", input(), 3));
        break;
      case 2:
        g.nodes.push_back(feature(name, "ewma", input()));
        g.nodes.back().alpha = 0.25;
        break;
      default: {
        std::vector<std::string> needs{input(), input(), input()};
        needs.resize(1 + pick(3));
        std::vector<std::string> trigger;
        if (pick(2) == 0)
          trigger.push_back(needs[pick(needs.size())]);
        std::vector<double> w(needs.size(), 0.5);
        g.nodes.push_back(linear(name, needs, w, 1, trigger));
      }
    }
  }
  return g;
}

} // namespace

TEST(ReferenceEvaluator, AgreesWithLiteralSemanticsOnRandomGraphs) {
  // What the random inputs exercised, summed over all runs.
  ingest_counts seen;
  uint64_t outputs = 0;
  for (unsigned seed = 1; seed <= 40; ++seed) {
    std::mt19937 rng{seed};
    auto g = random_graph(rng);
    std::vector<sample> input;
    const char* names[] = {"s0", "s1", "s2", "s3", "unknown"};
    for (int i = 0; i < 300; ++i) {
      auto ts = static_cast<int64_t>(i / 3 + rng() % 6);
      double x = (rng() % 50 == 0) ? NAN : static_cast<double>(rng() % 100);
      input.push_back({names[rng() % 5 == 0 ? 4 : rng() % 4], ts, x});
    }
    for (int64_t lateness : {0, 3}) {
      auto got = run(g, input, lateness);
      auto want = literal_semantics(g, input, lateness);
      ASSERT_EQ(got.outputs, want.outputs) << "seed " << seed;
      seen.merge(got.ingest);
      outputs += got.outputs.size();
      for (size_t i = 0; i < reject_reason_count; ++i)
        EXPECT_EQ(got.ingest.rejected[i], want.ingest.rejected[i]);
      EXPECT_EQ(got.ingest.accepted, want.ingest.accepted);
      for (size_t n = 0; n < g.nodes.size(); ++n) {
        EXPECT_EQ(got.nodes[n].firings, want.nodes[n].firings);
        EXPECT_EQ(got.nodes[n].errors, want.nodes[n].errors);
      }
    }
  }
  EXPECT_GT(outputs, 10000u);
  EXPECT_GT(seen.accepted, 5000u);
  for (auto r : {reject_reason::unknown_sensor, reject_reason::non_finite,
                 reject_reason::late, reject_reason::out_of_order})
    EXPECT_GT(seen[r], 100u) << to_string(r);
}
