#include <cmath>
#include <gtest/gtest.h>
#include <string>
#include <vector>

#include "runtime/core/errc.hpp"
#include "runtime/core/types.hpp"
#include "runtime/io/csv.hpp"
#include "runtime/semantics/reference_evaluator.hpp"
#include "tests/support/reference_run.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal;
using namespace shoal::test_support;

using rows = std::vector<output_row>;

TEST(ReferenceEvaluator, JoinsTwoSensorsAsOf) {
  graph_spec g{{sensor("a"), sensor("b"), linear("m", {"a", "b"}, {1, 10})}};
  auto res = run(g, {{"a", 10, 1},
                     {"a", 20, 2},
                     {"b", 25, 100},
                     {"a", 30, 3},
                     {"a", 40, 4},
                     {"b", 50, 200},
                     {"a", 50, 5},
                     {"a", 60, 6}});
  // Nothing before b's first sample; one firing at t = 50 where both tick.
  EXPECT_EQ(res.outputs, (rows{{"m", 25, 1002},
                               {"m", 30, 1003},
                               {"m", 40, 1004},
                               {"m", 50, 2005},
                               {"m", 60, 2006}}));
  EXPECT_EQ(res.ingest.accepted, 8u);
  EXPECT_EQ(res.ingest.rejected_total(), 0u);
  ASSERT_EQ(res.nodes.size(), 3u);
  EXPECT_EQ(res.nodes[0].firings, 0u);
  EXPECT_EQ(res.nodes[1].outputs, 0u);
  EXPECT_EQ(res.nodes[2].firings, 5u);
  EXPECT_EQ(res.nodes[2].outputs, 5u);
  EXPECT_EQ(res.nodes[2].errors, 0u);
}

TEST(ReferenceEvaluator, FiresOnlyOnTriggerInputs) {
  graph_spec g{
    {sensor("a"), sensor("b"), linear("m", {"a", "b"}, {1, 10}, 0.5, {"b"})}};
  auto res = run(g, {{"a", 10, 1},
                     {"b", 15, 7},
                     {"a", 20, 2},
                     {"a", 30, 3},
                     {"b", 30, 8},
                     {"a", 40, 4}});
  EXPECT_EQ(res.outputs, (rows{{"m", 15, 71.5}, {"m", 30, 83.5}}));
  EXPECT_EQ(res.nodes[2].firings, 2u);
}

TEST(ReferenceEvaluator, FiresOncePerDistinctTimestamp) {
  graph_spec g{{sensor("a"), sensor("b"), sensor("c"),
                linear("sum", {"a", "b", "c"}, {1, 1, 1})}};
  auto res = run(g, {{"c", 100, 3},
                     {"a", 100, 1},
                     {"b", 100, 2},
                     {"b", 200, 20},
                     {"a", 200, 10},
                     {"c", 200, 30}});
  EXPECT_EQ(res.outputs, (rows{{"sum", 100, 6}, {"sum", 200, 60}}));
  EXPECT_EQ(res.nodes[3].firings, 2u);
}

TEST(ReferenceEvaluator, ChainsFeatureIntoModelIntoModel) {
  graph_spec g{{sensor("a"), feature("f", "rolling_mean", "a", 2, false),
                linear("m1", {"f"}, {2}, 1),
                linear("m2", {"m1", "a"}, {1, -1})}};
  auto res = run(g, {{"a", 1, 1}, {"a", 2, 3}, {"a", 3, 5}});
  // f = 1, 2, 4; m1 = 2 f + 1 = 3, 5, 9; m2 = m1 - a = 2, 2, 4.
  EXPECT_EQ(res.outputs, (rows{{"m1", 1, 3},
                               {"m2", 1, 2},
                               {"m1", 2, 5},
                               {"m2", 2, 2},
                               {"m1", 3, 9},
                               {"m2", 3, 4}}));
  for (size_t i = 1; i < 4; ++i) {
    EXPECT_EQ(res.nodes[i].firings, 3u) << g.nodes[i].name;
    EXPECT_EQ(res.nodes[i].outputs, 3u) << g.nodes[i].name;
  }
}

TEST(ReferenceEvaluator, DiffHasNoFirstOutputAndItsDependantsWait) {
  graph_spec g{{sensor("a"), feature("d", "diff", "a"),
                linear("m", {"d", "a"}, {1, 1}), linear("only_d", {"d"}, {2})}};
  auto res = run(g, {{"a", 1, 10}, {"a", 2, 13}, {"a", 3, 19}});
  EXPECT_EQ(res.outputs, (rows{{"d", 2, 3},
                               {"m", 2, 16},
                               {"only_d", 2, 6},
                               {"d", 3, 6},
                               {"m", 3, 25},
                               {"only_d", 3, 12}}));
  // d fires at its first sample but outputs nothing; m is triggered by a at
  // t = 1 but cannot fire without d.
  EXPECT_EQ(res.nodes[1].firings, 3u);
  EXPECT_EQ(res.nodes[1].outputs, 2u);
  EXPECT_EQ(res.nodes[2].firings, 2u);
  EXPECT_EQ(res.nodes[3].firings, 2u);
}

TEST(ReferenceEvaluator, RejectsInSpecOrderAndCountsEachReason) {
  graph_spec g{{sensor("a", true), sensor("b", true)}};
  auto ev = make_eval(g);
  ev.offer_malformed(2);
  ev.offer("zzz", 5, NAN);    // unknown_sensor before non_finite
  ev.offer("a", 10, 1);       // accepted, W = 9
  ev.offer("a", 5, INFINITY); // non_finite before late
  ev.offer("b", 9, 1);        // late
  ev.offer("a", 8, 1);        // late before out_of_order
  ev.offer("a", 10, 2);       // out_of_order: not late, not after a's last
  ev.offer("b", 10, 3);       // accepted: another sensor may repeat a ts
  ev.offer_malformed(9);
  ev.finish();
  const auto& res = ev.result();
  EXPECT_EQ(res.ingest.accepted, 2u);
  EXPECT_EQ(res.ingest[reject_reason::malformed], 2u);
  EXPECT_EQ(res.ingest[reject_reason::unknown_sensor], 1u);
  EXPECT_EQ(res.ingest[reject_reason::non_finite], 1u);
  EXPECT_EQ(res.ingest[reject_reason::late], 2u);
  EXPECT_EQ(res.ingest[reject_reason::out_of_order], 1u);
  EXPECT_EQ(res.malformed_lines, (std::vector<uint64_t>{2, 9}));
  // Emitting sensors output their accepted samples; the first a@10 stays.
  EXPECT_EQ(res.outputs, (rows{{"a", 10, 1}, {"b", 10, 3}}));
  EXPECT_EQ(res.nodes[0].outputs, 0u);
}

TEST(ReferenceEvaluator, KeepsTheFirstTenMalformedLines) {
  graph_spec g{{sensor("a")}};
  auto ev = make_eval(g);
  for (uint64_t line = 2; line < 17; ++line)
    ev.offer_malformed(line);
  ev.finish();
  EXPECT_EQ(ev.result().ingest[reject_reason::malformed], 15u);
  EXPECT_EQ(ev.result().malformed_lines,
            (std::vector<uint64_t>{2, 3, 4, 5, 6, 7, 8, 9, 10, 11}));
}

TEST(ReferenceEvaluator, AllowedLatenessAcceptsLateRowsAndDelaysFiring) {
  graph_spec g{{sensor("a"), sensor("b"), linear("m", {"a", "b"}, {1, 1})}};
  std::vector<sample> input{{"a", 100, 1}, {"b", 95, 2},  {"b", 89, 3},
                            {"a", 120, 4}, {"b", 110, 5}, {"b", 105, 6}};
  auto ev = make_eval(g, 10);
  ev.offer("a", 100, 1); // W = 89
  ev.offer("b", 95, 2);  // accepted although older than a@100
  ev.offer("b", 89, 3);  // late
  EXPECT_TRUE(ev.result().outputs.empty());
  ev.offer("a", 120, 4); // W = 109: t = 95 and 100 are safe now
  EXPECT_EQ(ev.result().outputs, (rows{{"m", 100, 3}}));
  ev.offer("b", 110, 5); // accepted
  ev.offer("b", 105, 6); // late
  ev.finish();
  EXPECT_EQ(ev.result().outputs,
            (rows{{"m", 100, 3}, {"m", 110, 6}, {"m", 120, 9}}));
  EXPECT_EQ(ev.result().ingest.accepted, 4u);
  EXPECT_EQ(ev.result().ingest[reject_reason::late], 2u);
  // Without lateness every b row is late: m never has both inputs.
  auto strict = run(g, input);
  EXPECT_EQ(strict.ingest.accepted, 2u);
  EXPECT_EQ(strict.ingest[reject_reason::late], 4u);
  EXPECT_TRUE(strict.outputs.empty());
  EXPECT_EQ(strict.nodes[2].firings, 0u);
}

TEST(ReferenceEvaluator, CountsNonFiniteOutputsAsErrors) {
  graph_spec g{
    {sensor("a"), linear("m", {"a"}, {1e308}), linear("after", {"m"}, {1})}};
  auto res = run(g, {{"a", 1, 1}, {"a", 2, 10}, {"a", 3, 0.5}});
  EXPECT_EQ(res.nodes[1].firings, 3u);
  EXPECT_EQ(res.nodes[1].outputs, 2u);
  EXPECT_EQ(res.nodes[1].errors, 1u);
  EXPECT_EQ(res.nodes[1].last_error, "non-finite output inf");
  // The node carries on, and its dependants see no output at t = 2.
  EXPECT_EQ(res.nodes[2].firings, 2u);
  EXPECT_EQ(res.outputs, (rows{{"m", 1, 1e308},
                               {"after", 1, 1e308},
                               {"m", 3, 5e307},
                               {"after", 3, 5e307}}));
}

TEST(ReferenceEvaluator, FinishFlushesEverything) {
  graph_spec g{{sensor("a", true), feature("s", "rolling_sum", "a", 10)}};
  auto ev = make_eval(g);
  ev.offer("a", 1, 1);
  ev.offer("a", 2, 2);
  ev.offer("a", 3, 4);
  // W = 2: t = 3 waits for a later sample or the end of the stream.
  EXPECT_EQ(ev.result().outputs,
            (rows{{"a", 1, 1}, {"s", 1, 1}, {"a", 2, 2}, {"s", 2, 3}}));
  ev.finish();
  EXPECT_EQ(ev.result().outputs.size(), 6u);
  EXPECT_EQ(ev.result().outputs.back(), (output_row{"s", 3, 7}));
  // With a large lateness nothing is safe before the end.
  auto lazy = make_eval(g, 1000);
  lazy.offer("a", 1, 1);
  lazy.offer("a", 2, 2);
  EXPECT_TRUE(lazy.result().outputs.empty());
  lazy.finish();
  EXPECT_EQ(lazy.result().outputs.size(), 4u);
}

TEST(ReferenceEvaluator, NodesWhoseInputsNeverProducedNeverFire) {
  graph_spec g{{sensor("a"), sensor("silent"), feature("f", "ewma", "a"),
                linear("m", {"a", "silent"}, {1, 1}), linear("n", {"m"}, {1})}};
  g.nodes[2].alpha = 0.5;
  auto res = run(g, {{"a", 1, 4}, {"a", 2, 8}});
  EXPECT_EQ(res.outputs, (rows{{"f", 1, 4}, {"f", 2, 6}}));
  EXPECT_EQ(res.nodes[3].firings, 0u);
  EXPECT_EQ(res.nodes[4].firings, 0u);
}

TEST(ReferenceEvaluator, OutputSinkReceivesOutputsInsteadOfResult) {
  graph_spec g{{sensor("a"), feature("r", "rate", "a")}};
  auto ev = make_eval(g);
  std::string csv;
  ev.set_output_sink([&](const std::string& node, int64_t ts, double value) {
    append_output_row(csv, node, ts, value);
  });
  ev.offer("a", 1'000'000'000, 1);
  ev.offer("a", 3'000'000'000, 5);
  ev.finish();
  EXPECT_EQ(csv, "r,3000000000,2\n");
  EXPECT_TRUE(ev.result().outputs.empty());
  EXPECT_EQ(ev.result().nodes[1].outputs, 1u);
}

TEST(ReferenceEvaluator, MakeRejectsBadGraphs) {
  graph_spec unknown_fn{{sensor("a"), feature("f", "no_such_fn", "a")}};
  auto e1 = reference_evaluator::make(unknown_fn);
  ASSERT_FALSE(e1);
  EXPECT_EQ(e1.error().code(), static_cast<uint8_t>(errc::invalid_graph));
  graph_spec unordered{{feature("f", "diff", "a"), sensor("a")}};
  auto e2 = reference_evaluator::make(unordered);
  ASSERT_FALSE(e2);
  EXPECT_NE(describe(e2.error()).find("node 'f'"), std::string::npos);
  graph_spec bad_trigger{
    {sensor("a"), sensor("b"), linear("m", {"a"}, {1}, 0, {"b"})}};
  auto e3 = reference_evaluator::make(bad_trigger);
  ASSERT_FALSE(e3);
  EXPECT_NE(describe(e3.error()).find("trigger 'b'"), std::string::npos);
  auto e4 = reference_evaluator::make(graph_spec{{sensor("a")}}, -1);
  ASSERT_FALSE(e4);
  EXPECT_EQ(e4.error().code(), static_cast<uint8_t>(errc::invalid_config));
}

TEST(ReferenceReplay, RunsOverCsvFile) {
  graph_spec g{{sensor("a"), sensor("b"), linear("m", {"a", "b"}, {1, 2})}};
  temp_file in{"replay.csv", "sensor,ts,value\r\n"
                             "a,10,1\r\n"
                             "b,10,2\r\n"
                             "\r\n"
                             "b,oops,3\r\n"
                             "c,11,1\r\n"
                             "a,12,nan\r\n"
                             "a,20,3\r\n"
                             "a,5,4\r\n"
                             "b,30,4"};
  auto res = reference_replay(g, in.path);
  ASSERT_TRUE(res) << describe(res.error());
  EXPECT_EQ(res->outputs, (rows{{"m", 10, 5}, {"m", 20, 7}, {"m", 30, 11}}));
  EXPECT_EQ(res->ingest.accepted, 4u);
  EXPECT_EQ(res->ingest[reject_reason::malformed], 1u);
  EXPECT_EQ(res->ingest[reject_reason::unknown_sensor], 1u);
  EXPECT_EQ(res->ingest[reject_reason::non_finite], 1u);
  EXPECT_EQ(res->ingest[reject_reason::late], 1u);
  EXPECT_EQ(res->malformed_lines, (std::vector<uint64_t>{5}));
}

TEST(ReferenceReplay, FailsOnBadHeaderOrMissingFile) {
  graph_spec g{{sensor("a")}};
  temp_file in{"bad_header.csv", "a,1,2\n"};
  auto bad = reference_replay(g, in.path);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), static_cast<uint8_t>(errc::invalid_input));
  auto missing = reference_replay(g, in.path + ".missing");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), static_cast<uint8_t>(errc::io_error));
}
