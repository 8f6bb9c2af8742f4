// `shoal-bench templates`: the templated graph and its written-out twin
// load to equal graphs, and the command prints the ratio.

#include <gtest/gtest.h>
#include <string>

#include "apps/shoal-bench/template_bench.hpp"
#include "runtime/core/errc.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal;
using namespace shoal::test_support;

class TemplateBench : public temp_dir_test {};

TEST_F(TemplateBench, BothGraphsLoadEqual) {
  template_bench_options opts;
  opts.devices = 40;
  opts.nodes_per_device = 9;
  opts.reps = 1;
  auto fig = bench_templates(dir_.string(), opts);
  ASSERT_TRUE(fig) << describe(fig.error());
  EXPECT_EQ(fig->nodes, 360u);
  EXPECT_GT(fig->templated_s, 0);
  EXPECT_GT(fig->written_s, 0);
  EXPECT_LT(fig->templated_bytes, fig->written_bytes);
}

TEST_F(TemplateBench, TheCommandPrintsTheRatio) {
  auto res = run_command(binary("shoal-bench")
                         + " templates --devices 30 --reps 1 --json");
  ASSERT_EQ(res.exit_code, 0) << res.output;
  EXPECT_NE(res.output.find("\"nodes\": 600"), std::string::npos) << res.output;
  EXPECT_NE(res.output.find("\"ratio\": "), std::string::npos) << res.output;
  EXPECT_EQ(
    run_command(binary("shoal-bench") + " templates --devices 0").exit_code, 2);
}
