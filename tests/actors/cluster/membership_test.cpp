// Cluster membership with real `shoal-node --config` processes on loopback:
// joining through seeds (also before the seeds are up), everyone learning the
// full membership, a taken name refused, a killed member detected by all, and
// configuration errors that name the file and the key.

#include <chrono>
#include <gtest/gtest.h>
#include <memory>
#include <thread>
#include <vector>

#include "tests/support/member_process.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal::test_support;

namespace {

struct member_spec {
  std::string name;
  int port;
};

/// Writes the NODE.toml of `m` with `seeds` and returns its path.
std::string write_config(const member_spec& m, const std::vector<int>& seeds) {
  return write_member_config(m.name, m.port, seeds, "", "", 1000);
}

/// Polls `shoalctl status` at `port` until its member list is exactly
/// `names` (in name order), for up to 15 s. Returns the last output.
std::string await_members(int port, const std::vector<std::string>& names) {
  std::string want = "members (" + std::to_string(names.size()) + "):";
  std::string last;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < deadline) {
    auto res = shoalctl(port, "status");
    last = res.output;
    if (res.exit_code == 0 && last.find(want) != std::string::npos) {
      bool all = true;
      for (auto& n : names)
        all = all && last.find("  " + n + " ") != std::string::npos;
      if (all)
        return last;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ADD_FAILURE() << "member list at port " << port << " never became "
                << names.size() << " members; last output:\n"
                << last;
  return last;
}

} // namespace

TEST(ClusterMembership, MembersJoinThroughSeedsAndAllLearnTheMembership) {
  std::vector<member_spec> ms;
  for (auto name : {"n1", "n2", "n3"})
    ms.push_back({name, free_loopback_port()});
  std::vector<int> seeds{ms[0].port, ms[1].port};
  // n3 starts first: its seeds are not up yet, it keeps trying.
  member_process n3{write_config(ms[2], seeds)};
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  member_process n1{write_config(ms[0], seeds)};
  member_process n2{write_config(ms[1], seeds)};
  for (auto& m : ms)
    await_members(m.port, {"n1", "n2", "n3"});
  auto json = shoalctl(ms[2].port, "status --json");
  EXPECT_EQ(json.exit_code, 0);
  EXPECT_NE(json.output.find("\"name\":\"n1\""), std::string::npos)
    << json.output;
  // A fourth member with a taken name is refused, and says why.
  member_spec dup{"n2", free_loopback_port()};
  member_process refused{write_config(dup, {ms[0].port})};
  EXPECT_EQ(refused.wait_exit(15), 2) << refused.log();
  EXPECT_NE(refused.log().find("member name 'n2' is taken"), std::string::npos)
    << refused.log();
  // The refusal changed nothing.
  for (auto& m : ms)
    await_members(m.port, {"n1", "n2", "n3"});
}

TEST(ClusterMembership, AKilledMemberIsDetectedByEverySurvivor) {
  std::vector<member_spec> ms;
  for (auto name : {"a", "b", "c"})
    ms.push_back({name, free_loopback_port()});
  std::vector<int> seeds{ms[0].port};
  member_process a{write_config(ms[0], seeds)};
  member_process b{write_config(ms[1], seeds)};
  member_process c{write_config(ms[2], seeds)};
  for (auto& m : ms)
    await_members(m.port, {"a", "b", "c"});
  b.kill9();
  await_members(ms[0].port, {"a", "c"});
  await_members(ms[2].port, {"a", "c"});
  EXPECT_NE(a.log().find("b left"), std::string::npos) << a.log();
  EXPECT_NE(c.log().find("b left"), std::string::npos) << c.log();
  // The survivors keep serving.
  EXPECT_TRUE(a.running());
  EXPECT_TRUE(c.running());
}

TEST(ClusterMembership, TheFirstSeedAloneFormsAClusterOfOne) {
  member_spec m{"solo", free_loopback_port()};
  member_process solo{write_config(m, {m.port})};
  await_members(m.port, {"solo"});
}

TEST(ClusterMembership, BadConfigurationsAreRefusedWithFileAndKey) {
  auto run = [](const std::string& name, const std::string& text) {
    auto path = write_temp_file(name, text);
    return run_command(binary("shoal-node") + " --config " + path);
  };
  auto res
    = run("bad_listen.toml", "[node]\nname = \"x\"\nlisten = \"nowhere\"\n");
  EXPECT_EQ(res.exit_code, 2);
  EXPECT_NE(res.output.find("bad_listen.toml: [node] 'listen'"),
            std::string::npos)
    << res.output;
  res = run("no_node.toml", "[cluster]\nseeds = []\n");
  EXPECT_EQ(res.exit_code, 2);
  EXPECT_NE(res.output.find("missing table [node]"), std::string::npos)
    << res.output;
  res = run("bad_key.toml",
            "[node]\nname = \"x\"\nlisten = \"127.0.0.1:1\"\ncolour = 3\n");
  EXPECT_EQ(res.exit_code, 2);
  EXPECT_NE(res.output.find("unknown key 'colour'"), std::string::npos)
    << res.output;
  res = run("bad_seed.toml", "[node]\nname = \"x\"\nlisten = \"127.0.0.1:1\"\n"
                             "[cluster]\nseeds = [\"127.0.0.1\"]\n");
  EXPECT_EQ(res.exit_code, 2);
  EXPECT_NE(res.output.find("'seeds': entry 1"), std::string::npos)
    << res.output;
  res = run("bad_timeout.toml",
            "[node]\nname = \"x\"\nlisten = \"127.0.0.1:1\"\n"
            "[cluster]\nheartbeat_ms = 500\nfailure_timeout_ms = 400\n");
  EXPECT_EQ(res.exit_code, 2);
  EXPECT_NE(res.output.find("'failure_timeout_ms'"), std::string::npos)
    << res.output;
  res = run("bad_syntax.toml", "[node\n");
  EXPECT_EQ(res.exit_code, 2);
  EXPECT_NE(res.output.find("bad_syntax.toml:1"), std::string::npos)
    << res.output;
  res = run_command(binary("shoal-node")
                    + " --config /nonexistent/shoal/node.toml");
  EXPECT_EQ(res.exit_code, 2);
  EXPECT_NE(res.output.find("/nonexistent/shoal/node.toml"), std::string::npos)
    << res.output;
}

TEST(ClusterMembership, ShoalctlSaysWhatIsWrong) {
  auto res = run_command(binary("shoalctl") + " status");
  EXPECT_EQ(res.exit_code, 2);
  EXPECT_NE(res.output.find("missing --connect"), std::string::npos)
    << res.output;
  res = run_command(binary("shoalctl") + " --connect 127.0.0.1:1 status");
  EXPECT_EQ(res.exit_code, 2);
  EXPECT_NE(res.output.find("cannot connect to 127.0.0.1:1"), std::string::npos)
    << res.output;
  res = run_command(binary("shoalctl") + " --connect 127.0.0.1:1 frobnicate");
  EXPECT_EQ(res.exit_code, 2);
  EXPECT_NE(res.output.find("unknown command 'frobnicate'"), std::string::npos)
    << res.output;
}
