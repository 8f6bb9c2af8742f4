// shoalctl's command line without a cluster: --version, --help of the tool
// and of its commands, usage errors (exit 2), where --connect comes from
// (flag, then SHOAL_CONNECT, then the context file), and apply of a missing
// file. Port 1 has no member, so a command that got as far as connecting
// says "cannot connect to 127.0.0.1:1".

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <string>

#include "tests/support/process.hpp"

using namespace shoal::test_support;

namespace {

/// shoalctl with a HOME of its own (`home` under the temporary directory,
/// where only the context test writes a context file) and without
/// SHOAL_CONNECT.
process_result ctl(const std::string& args, const std::string& env = "",
                   const std::string& home_name = "shoalctl_cli_home") {
  auto home = std::filesystem::temp_directory_path() / home_name;
  std::filesystem::create_directories(home);
  return run_command("env -u SHOAL_CONNECT -u XDG_CONFIG_HOME HOME="
                     + home.string() + " " + env + " " + binary("shoalctl")
                     + " " + args);
}

void write_context(const std::string& text) {
  auto dir = std::filesystem::temp_directory_path() / "shoalctl_cli_ctx"
             / ".config" / "shoal";
  std::filesystem::create_directories(dir);
  if (text.empty())
    std::filesystem::remove(dir / "config.toml");
  else
    std::ofstream{dir / "config.toml"} << text;
}

} // namespace

TEST(ShoalctlCli, PrintsItsVersion) {
  auto res = ctl("--version");
  EXPECT_EQ(res.exit_code, 0) << res.output;
  EXPECT_EQ(res.output.rfind("shoalctl 0.", 0), 0u) << res.output;
  EXPECT_NE(res.output.find(" (commit "), std::string::npos) << res.output;
}

TEST(ShoalctlCli, HelpListsCommandsAndExitCodes) {
  auto res = ctl("--help");
  EXPECT_EQ(res.exit_code, 0) << res.output;
  for (auto word : {"diff G.toml", "-o json|wide|dot", "SHOAL_CONNECT",
                    "exit codes:", "config.toml"})
    EXPECT_NE(res.output.find(word), std::string::npos) << word;
  res = ctl("apply --help");
  EXPECT_EQ(res.exit_code, 0) << res.output;
  EXPECT_NE(res.output.find("--dry-run"), std::string::npos) << res.output;
  EXPECT_NE(res.output.find("exit codes:"), std::string::npos) << res.output;
}

TEST(ShoalctlCli, UsageErrorsNameTheOptionAndExitTwo) {
  struct bad {
    const char* args;
    const char* says;
  };
  for (auto [args, says] :
       {bad{"--connect 127.0.0.1:1 status --frob", "unknown option '--frob'"},
        bad{"--connect 127.0.0.1:1 status extra",
            "unexpected argument 'extra'"},
        bad{"--connect 127.0.0.1:1 status -o yaml", "-o"},
        bad{"--connect 127.0.0.1:1 status -o dot", "-o dot is for graph"},
        bad{"--connect 127.0.0.1:1 tail a --count 0", "--count needs"},
        bad{"--connect 127.0.0.1:1 replay in.csv", "replay needs --out"},
        bad{"--connect", "option --connect needs a value"},
        bad{"--connect 127.0.0.1:1", "missing command"}}) {
    auto res = ctl(args);
    EXPECT_EQ(res.exit_code, 2) << args << "\n" << res.output;
    EXPECT_NE(res.output.find(says), std::string::npos) << args << "\n"
                                                        << res.output;
  }
}

TEST(ShoalctlCli, ConnectComesFromFlagThenEnvironmentThenContextFile) {
  const std::string ctx = "shoalctl_cli_ctx";
  write_context("connect = \"127.0.0.1:3\"\ntimeout = 5\n");
  auto res = ctl("status", "", ctx);
  EXPECT_EQ(res.exit_code, 2) << res.output;
  EXPECT_NE(res.output.find("cannot connect to 127.0.0.1:3"), std::string::npos)
    << res.output;
  res = ctl("status", "SHOAL_CONNECT=127.0.0.1:2", ctx);
  EXPECT_NE(res.output.find("cannot connect to 127.0.0.1:2"), std::string::npos)
    << res.output;
  res = ctl("--connect 127.0.0.1:1 status", "SHOAL_CONNECT=127.0.0.1:2", ctx);
  EXPECT_NE(res.output.find("cannot connect to 127.0.0.1:1"), std::string::npos)
    << res.output;
  write_context("colour = \"blue\"\n");
  res = ctl("--connect 127.0.0.1:1 status", "", ctx);
  EXPECT_EQ(res.exit_code, 2) << res.output;
  EXPECT_NE(res.output.find("config.toml: unknown key 'colour'"),
            std::string::npos)
    << res.output;
  write_context("");
  res = ctl("status", "", ctx);
  EXPECT_NE(res.output.find("missing --connect"), std::string::npos)
    << res.output;
}

TEST(ShoalctlCli, ApplyOfAMissingFileExitsTwo) {
  for (auto cmd : {"apply", "diff", "apply --dry-run"}) {
    auto res = ctl(std::string{"--connect 127.0.0.1:1 "} + cmd
                   + " /nonexistent/g.toml");
    EXPECT_EQ(res.exit_code, 2) << res.output;
    EXPECT_NE(res.output.find("/nonexistent/g.toml: no such file"),
              std::string::npos)
      << res.output;
  }
}
