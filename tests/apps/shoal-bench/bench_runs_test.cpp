// The limit and replay runs of shoal-bench, and how they are compared.

#include <gtest/gtest.h>
#include <string>

#include "apps/shoal-bench/bench_runs.hpp"
#include "apps/shoal-bench/output_log.hpp"
#include "apps/shoal-bench/synthetic_graph.hpp"
#include "apps/shoal-bench/synthetic_samples.hpp"
#include "runtime/core/errc.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal;

namespace {

graph_spec tiny_plant() {
  synthetic_options o;
  o.sensors = 6;
  o.lua_share = 0.2;
  auto g = make_synthetic_graph(o);
  EXPECT_TRUE(g) << describe(g.error());
  return g ? std::move(*g) : graph_spec{};
}

std::vector<std::string> sensor_names(const graph_spec& g) {
  std::vector<std::string> out;
  for (const auto& n : g.nodes)
    if (n.kind == node_kind::sensor)
      out.push_back(n.name);
  return out;
}

} // namespace

TEST(BenchRuns, ReplayAgreesWithLimit) {
  auto g = tiny_plant();
  sample_generator gen{sensor_names(g), 600.0, 1};
  auto samples = gen.first(3000);
  auto limit = bench_limit(g, gen, samples);
  ASSERT_TRUE(limit) << describe(limit.error());
  EXPECT_EQ(limit->samples, 3000u);
  EXPECT_GT(limit->firings, 3000u);
  EXPECT_GT(limit->outputs, 0u);
  EXPECT_EQ(
    limit->log->size(), limit->outputs - [&] {
      // Features do not emit: the log holds the models' outputs.
      uint64_t features = 0;
      for (size_t i = 0, d = 0; i < g.nodes.size(); ++i)
        if (g.nodes[i].kind != node_kind::sensor) {
          if (g.nodes[i].kind == node_kind::feature)
            features += limit->nodes[d].outputs;
          ++d;
        }
      return features;
    }());
  auto path = test_support::write_temp_file("bench_runs_in.csv", "");
  ASSERT_FALSE(write_samples_csv(path, gen, 3000));
  for (size_t threads : {1, 3}) {
    auto replay = bench_replay(g, path, threads);
    ASSERT_TRUE(replay) << describe(replay.error());
    std::string why;
    EXPECT_TRUE(same_run(*limit, *replay, why)) << why;
    EXPECT_EQ(replay->firings, limit->firings);
    EXPECT_EQ(replay->log->unknown(), 0u);
  }
  std::remove(path.c_str());
}

TEST(BenchRuns, SameRunSpotsADifference) {
  auto g = tiny_plant();
  sample_generator gen{sensor_names(g), 600.0, 1};
  auto samples = gen.first(500);
  auto a = bench_limit(g, gen, samples);
  auto b = bench_limit(g, gen, samples);
  ASSERT_TRUE(a && b);
  std::string why;
  ASSERT_TRUE(same_run(*a, *b, why)) << why;
  // One output more.
  auto row = a->log->rows().front();
  b->log->add(a->log->name_of(row.node), row.ts + 1, row.value);
  EXPECT_FALSE(same_run(*a, *b, why));
  EXPECT_NE(why.find("outputs"), std::string::npos) << why;
  // Other counters.
  auto c = bench_limit(g, gen, samples);
  ASSERT_TRUE(c);
  c->nodes.back().firings += 1;
  EXPECT_FALSE(same_run(*a, *c, why));
  EXPECT_NE(why.find("counters"), std::string::npos) << why;
  // Fewer samples.
  samples.pop_back();
  auto d = bench_limit(g, gen, samples);
  ASSERT_TRUE(d);
  EXPECT_FALSE(same_run(*a, *d, why));
}

TEST(OutputLog, ComparesRowsInAnyOrder) {
  graph_spec g;
  for (const char* name : {"a", "m1", "m2"}) {
    node_spec n;
    n.name = name;
    n.emit = name[0] == 'm';
    g.nodes.push_back(n);
  }
  output_log x{g};
  output_log y{g};
  x.add("m1", 1, 0.5);
  x.add("m2", 1, 2.0);
  x.add("m1", 2, 0.25);
  y.add("m1", 2, 0.25);
  y.add("m2", 1, 2.0);
  y.add("m1", 1, 0.5);
  std::string why;
  EXPECT_TRUE(equal(x, y, why)) << why;
  y.add("m2", 3, 1.0);
  x.add("m2", 3, 1.0000000000000002);
  EXPECT_FALSE(equal(x, y, why));
  EXPECT_NE(why.find("first difference"), std::string::npos) << why;
  // A node that does not emit is not expected in a log.
  output_log z{g};
  z.add("a", 1, 1.0);
  EXPECT_EQ(z.size(), 1u);
  EXPECT_EQ(z.unknown(), 1u);
  EXPECT_EQ(x.unknown(), 0u);
  EXPECT_EQ(x.name_of(output_log::hash("m2")), "m2");
  EXPECT_EQ(x.name_of(output_log::hash("a")), "?");
  output_log w{g};
  EXPECT_FALSE(equal(z, w, why));
}
