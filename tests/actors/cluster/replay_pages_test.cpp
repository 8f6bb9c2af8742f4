// A cluster replay's outputs come back to shoalctl in pages from a bounded
// buffer at the member (actors/cluster/replay_session.hpp): with a tiny
// buffer and tiny pages, an input of several pieces causing many more
// outputs than a page gives exactly the single-node outputs, each once,
// and the member never held more than a piece's worth above its cap.

#include <gtest/gtest.h>
#include <string>
#include <vector>

#include "runtime/graph/graph_load.hpp"
#include "tests/support/member_process.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/process.hpp"
#include "tests/support/random_graph.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal::test_support;

namespace {

/// The number in "... held at most N at once" of shoalctl's summary.
uint64_t held_most(const std::string& output) {
  auto at = output.find("held at most ");
  if (at == std::string::npos)
    return UINT64_MAX;
  return std::stoull(output.substr(at + 13));
}

} // namespace

TEST(ReplayPages, ManyPagesUnderBackPressureGiveTheSingleNodeOutputs) {
  auto graph = write_temp_file("pages_graph.toml", two_cell_graph);
  auto g = shoal::load_graph(graph);
  ASSERT_TRUE(g);
  // Many input pieces (of 256 KiB, below).
  auto text = random_input(*g, 11, 180000);
  ASSERT_GT(text.size(), 3u << 20);
  auto input = write_temp_file("pages_input.csv", text);
  auto single_out = write_temp_file("pages_single.csv", "");
  auto single = run_command(binary("shoal-node") + " --graph " + graph
                            + " --replay " + input + " --out " + single_out);
  ASSERT_EQ(single.exit_code, 0) << single.output;

  auto port = free_loopback_port();
  member_process n1{
    write_member_config("n1", port, {port}, "",
                        "replay_buffer_rows = 1000\nreplay_page_rows = 300\n")};
  await_member_count(port, 1);
  auto res = shoalctl(port, "apply " + graph);
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log();
  auto cluster_out = write_temp_file("pages_out.csv", "");
  res = shoalctl(port, "replay " + input + " --out " + cluster_out
                         + " --piece-size 262144");
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log();
  auto want = read_file(single_out);
  auto got = read_file(cluster_out);
  auto rows = sorted_lines(want).size() - 1;
  EXPECT_GT(rows, 100u * 300u); // far more outputs than a page
  // The same rows (sorted: the order across nodes is not fixed).
  EXPECT_EQ(sorted_lines(got), sorted_lines(want));
  EXPECT_EQ(got.rfind("node,ts,value\n", 0), 0u);
  // The member stopped taking input while its buffer was full: it never
  // held more than its cap and the outputs of a piece or two.
  auto most = held_most(res.output);
  EXPECT_LT(most, rows / 2) << res.output;
  EXPECT_TRUE(n1.running());
}
