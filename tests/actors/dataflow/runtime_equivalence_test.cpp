// The actor runtime must produce exactly what the reference evaluator
// produces: the same outputs, the same counters, on random graphs and faulty
// inputs, whatever the number of scheduler threads, with cells
// (actors/dataflow/cell_actor.hpp) or one actor per node, with cells that
// overflow their capacity onto node actors, and with cell groups.

#include <algorithm>
#include <gtest/gtest.h>
#include <set>
#include <string>

#include "actors/dataflow/cell_actor.hpp"
#include "actors/deploy/local_replay.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/io/output_sink.hpp"
#include "runtime/semantics/reference_evaluator.hpp"
#include "tests/support/random_graph.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal;

namespace {

struct equivalence_case {
  uint64_t seed;
  size_t threads;
  int64_t lateness;
  bool fuse = true;
  /// One sensor and more nodes than a cell holds.
  bool crowded = false;
  /// deploy_options::cell_groups.
  size_t groups = 0;
};

std::string case_name(const ::testing::TestParamInfo<equivalence_case>& i) {
  return "seed" + std::to_string(i.param.seed) + "_threads"
         + std::to_string(i.param.threads) + "_lateness"
         + std::to_string(i.param.lateness) + (i.param.fuse ? "" : "_unfused")
         + (i.param.crowded ? "_crowded" : "")
         + (i.param.groups > 0 ? "_groups" + std::to_string(i.param.groups)
                               : "");
}

/// The graph of case `c`; a crowded one has more nodes than a cell holds.
graph_spec case_graph(const equivalence_case& c) {
  if (!c.crowded)
    return test_support::random_graph(c.seed);
  test_support::random_graph_options opts;
  opts.min_sensors = 1;
  opts.max_sensors = 1;
  opts.max_features = 90;
  opts.max_models = 30;
  for (auto seed = c.seed;; ++seed) {
    auto g = test_support::random_graph(seed, opts);
    if (g.nodes.size() > cell_capacity + 8)
      return g;
  }
}

class RuntimeEquivalence : public ::testing::TestWithParam<equivalence_case> {};

} // namespace

TEST_P(RuntimeEquivalence, ActorsEqualReferenceEvaluator) {
  auto c = GetParam();
  auto [seed, threads, lateness, fuse, crowded, groups] = c;
  auto g = case_graph(c);
  auto path
    = test_support::write_temp_file("eq_" + case_name({c, 0}) + ".csv",
                                    test_support::random_input(g, seed, 1500));
  auto expected = reference_replay(g, path, lateness);
  ASSERT_TRUE(expected) << describe(expected.error());
  auto reader = sample_reader::open(path);
  ASSERT_TRUE(reader);
  auto sink = std::make_shared<memory_sink>();
  run_options opts;
  opts.threads = threads;
  opts.fuse = fuse;
  opts.cell_groups = groups;
  opts.replay.allowed_lateness_ns = lateness;
  // Small chunks interleave watermark requests with data.
  opts.replay.chunk_rows = 7;
  auto got = run_replay(g, std::make_shared<sample_reader>(std::move(*reader)),
                        sink, opts);
  ASSERT_TRUE(got) << describe(got.error());
  // Samples, by reason.
  EXPECT_EQ(got->ingest.accepted, expected->ingest.accepted);
  for (size_t r = 0; r < reject_reason_count; ++r)
    EXPECT_EQ(got->ingest.rejected[r], expected->ingest.rejected[r])
      << to_string(static_cast<reject_reason>(r));
  EXPECT_EQ(got->malformed_lines, expected->malformed_lines);
  // Every node's counters.
  size_t k = 0;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    if (g.nodes[i].kind == node_kind::sensor)
      continue;
    ASSERT_LT(k, got->nodes.size());
    auto& [name, counts] = got->nodes[k++];
    auto& want = expected->nodes[i];
    EXPECT_EQ(name, g.nodes[i].name);
    EXPECT_EQ(counts.firings, want.firings) << name;
    EXPECT_EQ(counts.outputs, want.outputs) << name;
    EXPECT_EQ(counts.errors, want.errors) << name;
    EXPECT_EQ(counts.last_error, want.last_error) << name;
  }
  // The outputs, exactly (row order is not part of the contract).
  auto want_rows = expected->outputs;
  auto got_rows = sink->rows;
  std::sort(want_rows.begin(), want_rows.end());
  std::sort(got_rows.begin(), got_rows.end());
  EXPECT_EQ(got_rows.size(), want_rows.size());
  EXPECT_TRUE(got_rows == want_rows);
  EXPECT_EQ(got->outputs, want_rows.size());
  // The case must exercise something.
  EXPECT_GT(expected->ingest.accepted, 0u);
  EXPECT_GT(expected->ingest.rejected_total(), 0u);
  uint64_t firings = 0;
  for (auto& n : expected->nodes)
    firings += n.firings;
  EXPECT_GT(firings, 0u);
}

TEST(RuntimeEquivalence, RandomCasesCoverErrorsAndNoValueFirings) {
  // Over all seeds, some nodes fail and some fire without an output.
  uint64_t errors = 0;
  uint64_t silent = 0;
  for (uint64_t seed = 1; seed <= 24; ++seed) {
    auto g = test_support::random_graph(seed);
    auto path = test_support::write_temp_file(
      "cov_" + std::to_string(seed) + ".csv",
      test_support::random_input(g, seed, 1500));
    auto res = reference_replay(g, path, 0);
    ASSERT_TRUE(res);
    for (auto& n : res->nodes) {
      errors += n.errors;
      silent += n.firings - n.outputs - n.errors;
    }
  }
  EXPECT_GT(errors, 0u);
  EXPECT_GT(silent, 0u);
}

TEST(RuntimeEquivalence, RandomCasesCoverTheCleaningAndWindowFunctions) {
  // The graphs of the cases above hold every function of SPEC section 12.
  std::set<std::string> seen;
  for (uint64_t seed = 1; seed <= 24; ++seed)
    for (auto& n : test_support::random_graph(seed).nodes)
      seen.insert(n.fn);
  for (auto fn : {"clip", "scale", "deadband", "rolling_quantile", "zscore",
                  "tumbling_mean", "tumbling_sum", "tumbling_min",
                  "tumbling_max", "tumbling_count", "tumbling_last"})
    EXPECT_EQ(seen.count(fn), 1u) << fn;
}

namespace {

std::vector<equivalence_case> all_cases() {
  std::vector<equivalence_case> result;
  for (uint64_t seed = 1; seed <= 24; ++seed) {
    int64_t lateness = seed % 3 == 0 ? 6 : 0;
    for (size_t threads : {size_t{1}, size_t{3}})
      result.push_back({seed, threads, lateness});
    result.push_back({seed, 3, lateness, false});
    // Cell groups: joins of sensors inside one actor, and between groups.
    result.push_back({seed, seed % 2 == 0 ? size_t{1} : size_t{3}, lateness,
                      true, false, seed % 4 + 2});
  }
  for (uint64_t seed = 1; seed <= 4; ++seed)
    result.push_back({seed, 3, 0, true, true});
  for (uint64_t seed = 1; seed <= 2; ++seed)
    result.push_back({seed, 3, 0, true, true, 2});
  return result;
}

} // namespace

INSTANTIATE_TEST_SUITE_P(RandomGraphs, RuntimeEquivalence,
                         ::testing::ValuesIn(all_cases()), case_name);
