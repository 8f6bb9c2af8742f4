// shoal-node's command line: --version, --help, errors that name the option
// (exit 2), and "-" as stdin and stdout of a replay.

#include <gtest/gtest.h>
#include <string>

#include "tests/support/process.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal::test_support;

namespace {

const char* graph_text = R"(
[[sensor]]
name = "a"
[[feature]]
name = "a.mean"
fn = "rolling_mean"
needs = ["a"]
window = 2
emit = true
)";

std::string node_cmd(const std::string& args) {
  return binary("shoal-node") + " " + args;
}

} // namespace

TEST(ShoalNodeCli, PrintsItsVersionAndCommit) {
  auto res = run_command(node_cmd("--version"));
  EXPECT_EQ(res.exit_code, 0) << res.output;
  EXPECT_EQ(res.output.rfind("shoal-node 0.", 0), 0u) << res.output;
  EXPECT_NE(res.output.find(" (commit "), std::string::npos) << res.output;
  // The malloc SHOAL_ALLOCATOR linked is the one in use.
  EXPECT_NE(res.output.find(", malloc " SHOAL_TEST_MALLOC ")"),
            std::string::npos)
    << res.output;
}

TEST(ShoalNodeCli, HelpListsLogLevelAndExitCodes) {
  auto res = run_command(node_cmd("--help"));
  EXPECT_EQ(res.exit_code, 0) << res.output;
  EXPECT_NE(res.output.find("--log-level"), std::string::npos) << res.output;
  EXPECT_NE(res.output.find("exit codes:"), std::string::npos) << res.output;
}

TEST(ShoalNodeCli, NamesAnOptionWithoutItsValue) {
  for (auto opt : {"--graph", "--out", "--threads", "--config"}) {
    auto res = run_command(node_cmd(opt));
    EXPECT_EQ(res.exit_code, 2) << res.output;
    EXPECT_NE(res.output.find(std::string{"option "} + opt + " needs a value"),
              std::string::npos)
      << res.output;
  }
  auto res = run_command(node_cmd("--duration 1 --frob"));
  EXPECT_EQ(res.exit_code, 2) << res.output;
  EXPECT_NE(res.output.find("unknown option '--frob'"), std::string::npos)
    << res.output;
}

TEST(ShoalNodeCli, RejectsAnUnknownLogLevel) {
  auto res = run_command(node_cmd("--config x.toml --log-level loud"));
  EXPECT_EQ(res.exit_code, 2) << res.output;
  EXPECT_NE(res.output.find("--log-level"), std::string::npos) << res.output;
}

TEST(ShoalNodeCli, ReplaysStdinToStdoutWithTheSummaryOnStderr) {
  auto graph = write_temp_file("cli_stdio.toml", graph_text);
  auto input = write_temp_file("cli_stdio.csv",
                               "sensor,ts,value\na,1,1\na,2,3\na,3,5\n");
  auto err = write_temp_file("cli_stdio.err", "");
  auto res
    = run_command("("
                  + node_cmd("--graph " + graph + " --replay - --out - < "
                             + input + " 2> " + err)
                  + ")");
  EXPECT_EQ(res.exit_code, 0) << res.output << read_file(err);
  EXPECT_EQ(res.output, "node,ts,value\na.mean,1,1\na.mean,2,2\na.mean,3,4\n");
  EXPECT_NE(read_file(err).find("3 accepted, 0 rejected"), std::string::npos)
    << read_file(err);
}

TEST(ShoalNodeCli, AppendsToAFileTheShellAppendsStdoutTo) {
  auto graph = write_temp_file("cli_append.toml", graph_text);
  auto input = write_temp_file("cli_append.csv", "sensor,ts,value\na,1,1\n");
  auto out = write_temp_file("cli_append_out.csv", "kept\n");
  auto res = run_command("("
                         + node_cmd("--graph " + graph + " --replay " + input
                                    + " --out - 2>/dev/null >> " + out)
                         + ")");
  EXPECT_EQ(res.exit_code, 0) << res.output;
  EXPECT_EQ(read_file(out), "kept\nnode,ts,value\na.mean,1,1\n");
}
