// Tumbling windows in the reference evaluator (SPEC sections 3 and 12): a
// window's output appears at its last nanosecond once the input's watermark
// passed it, and dependants join it as of that timestamp.

#include <gtest/gtest.h>
#include <vector>

#include "tests/support/reference_run.hpp"

using namespace shoal;
using namespace shoal::test_support;

using rows = std::vector<output_row>;

namespace {

node_spec tumbling(std::string name, std::string fn, std::string input,
                   int64_t width) {
  auto n = feature(std::move(name), std::move(fn), std::move(input));
  n.window_ns = width;
  return n;
}

} // namespace

TEST(TumblingSemantics, WindowsCloseOnALaterSampleOrAtEndOfStream) {
  graph_spec g{{sensor("s"), tumbling("t", "tumbling_mean", "s", 10)}};
  auto res = run(g, {{"s", -4, 2},
                     {"s", 1, 1},
                     {"s", 4, 3},
                     {"s", 12, 5},
                     {"s", 25, 7},
                     {"s", 29, 9}});
  // [-10, 0): 2 at -1; [0, 10): 2 at 9; [10, 20): 5 at 19; [20, 30): 8 at
  // 29, where its last sample lands on its last nanosecond.
  EXPECT_EQ(res.outputs,
            (rows{{"t", -1, 2}, {"t", 9, 2}, {"t", 19, 5}, {"t", 29, 8}}));
  EXPECT_EQ(res.nodes[1].firings, 6u);
  EXPECT_EQ(res.nodes[1].outputs, 4u);
}

TEST(TumblingSemantics, TheLastWindowWaitsForEndOfStream) {
  graph_spec g{{sensor("s"), tumbling("t", "tumbling_count", "s", 100)}};
  auto ev = make_eval(g);
  ev.offer("s", 10, 1);
  ev.offer("s", 20, 1);
  EXPECT_TRUE(ev.result().outputs.empty());
  ev.offer("s", 250, 1); // skips [100, 200): no output for it
  EXPECT_EQ(ev.result().outputs, (rows{{"t", 99, 2}}));
  ev.finish();
  EXPECT_EQ(ev.result().outputs, (rows{{"t", 99, 2}, {"t", 299, 1}}));
}

TEST(TumblingSemantics, DependantsJoinAsOfTheWindowEnd) {
  // m = t + s fires at the window ends only (trigger t), with s as of then.
  graph_spec g{{sensor("s"), tumbling("t", "tumbling_sum", "s", 10),
                linear("m", {"t", "s"}, {1, 1}, 0, {"t"})}};
  g.nodes[1].emit = false;
  auto res = run(g, {{"s", 1, 1}, {"s", 4, 3}, {"s", 12, 5}, {"s", 25, 7}});
  // Windows: 4 at 9 (s as of 9: 3); 5 at 19 (s: 5); 7 at 29 (s: 7).
  EXPECT_EQ(res.outputs, (rows{{"m", 9, 7}, {"m", 19, 10}, {"m", 29, 14}}));
}

TEST(TumblingSemantics, ChainedWindowsAndLateness) {
  // Windows of windows: sums per 10 ns, then their max per 100 ns; with
  // lateness the watermark lags, and the outputs are the same.
  graph_spec g{{sensor("s"), tumbling("t", "tumbling_sum", "s", 10),
                tumbling("u", "tumbling_max", "t", 100)}};
  std::vector<sample> in{{"s", 5, 1},   {"s", 8, 2},   {"s", 15, 10},
                         {"s", 95, 4},  {"s", 105, 1}, {"s", 130, 3},
                         {"s", 131, 3}, {"s", 260, 1}};
  rows want{{"t", 9, 3},   {"t", 19, 10}, {"t", 99, 4},
            {"u", 99, 10}, {"t", 109, 1}, {"t", 139, 6},
            {"u", 199, 6}, {"t", 269, 1}, {"u", 299, 1}};
  EXPECT_EQ(run(g, in).outputs, want);
  EXPECT_EQ(run(g, in, 50).outputs, want);
}
