// A member's configuration: the rule that an unauthenticated member port
// stays on loopback unless the operator says otherwise (SPEC section 9).

#include <filesystem>
#include <gtest/gtest.h>

#include "runtime/cluster/member_config.hpp"
#include "runtime/core/errc.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

caf::expected<member_config> load(const std::string& name,
                                  const std::string& node_table) {
  return load_member_config(
    write_temp_file(name, "[node]\nname = \"n1\"\n" + node_table));
}

net_address addr(const std::string& host) {
  return net_address{host, 7701};
}

} // namespace

TEST(NetAddress, KnowsTheLoopbackAddresses) {
  for (auto host : {"127.0.0.1", "127.1.2.3", "localhost", "::1"})
    EXPECT_TRUE(addr(host).is_loopback()) << host;
  for (auto host : {"0.0.0.0", "10.0.0.1", "128.0.0.1", "::", "::2",
                    "example.org", "127.0.0.1.example.org"})
    EXPECT_FALSE(addr(host).is_loopback()) << host;
}

TEST(MemberConfig, ListensOnLoopbackWithoutSaying) {
  auto cfg = load("mc_loopback.toml", "listen = \"127.0.0.1:7701\"\n");
  ASSERT_TRUE(cfg) << describe(cfg.error());
  EXPECT_FALSE(cfg->insecure);
}

TEST(MemberConfig, RefusesAnotherAddressWithoutInsecure) {
  auto cfg = load("mc_open.toml", "listen = \"0.0.0.0:7701\"\n");
  ASSERT_FALSE(cfg);
  auto text = describe(cfg.error());
  EXPECT_NE(text.find("mc_open.toml: [node] 'listen': 0.0.0.0:7701 is not a "
                      "loopback address"),
            std::string::npos)
    << text;
  EXPECT_NE(text.find("insecure = true"), std::string::npos) << text;
}

TEST(MemberConfig, InsecureTrueAcceptsAnotherAddress) {
  auto cfg
    = load("mc_insecure.toml", "listen = \"0.0.0.0:7701\"\ninsecure = true\n");
  ASSERT_TRUE(cfg) << describe(cfg.error());
  EXPECT_TRUE(cfg->insecure);
  cfg = load("mc_secure_loopback.toml",
             "listen = \"10.1.2.3:7701\"\ninsecure = false\n");
  EXPECT_FALSE(cfg);
}

TEST(MemberConfig, InsecureMustBeABoolean) {
  auto cfg = load("mc_insecure_str.toml",
                  "listen = \"0.0.0.0:7701\"\ninsecure = \"yes\"\n");
  ASSERT_FALSE(cfg);
  EXPECT_NE(describe(cfg.error()).find("'insecure': must be a boolean"),
            std::string::npos)
    << describe(cfg.error());
}

TEST(MemberConfig, SecurityNamesThreeFilesBesideTheConfig) {
  auto path = write_temp_file("mc_security.toml",
                              "[node]\nname = \"n1\"\n"
                              "listen = \"0.0.0.0:7701\"\n"
                              "[security]\ncert = \"n1.pem\"\n"
                              "key = \"keys/n1.key\"\nca = \"/etc/ca.pem\"\n");
  auto cfg = load_member_config(path);
  ASSERT_TRUE(cfg) << describe(cfg.error());
  auto dir = std::filesystem::path{path}.parent_path();
  EXPECT_TRUE(cfg->security.enabled());
  EXPECT_EQ(cfg->security.cert, (dir / "n1.pem").string());
  EXPECT_EQ(cfg->security.key, (dir / "keys/n1.key").string());
  EXPECT_EQ(cfg->security.ca, "/etc/ca.pem");
  // With [security], another address than loopback needs no insecure.
  EXPECT_FALSE(cfg->insecure);
}

TEST(MemberConfig, SecurityNeedsEveryFileAndNothingElse) {
  auto cfg = load_member_config(
    write_temp_file("mc_security_nokey.toml",
                    "[node]\nname = \"n1\"\nlisten = \"127.0.0.1:7701\"\n"
                    "[security]\ncert = \"n1.pem\"\nca = \"ca.pem\"\n"));
  ASSERT_FALSE(cfg);
  EXPECT_NE(describe(cfg.error()).find("[security] 'key': missing"),
            std::string::npos)
    << describe(cfg.error());
  cfg = load_member_config(
    write_temp_file("mc_security_extra.toml",
                    "[node]\nname = \"n1\"\nlisten = \"127.0.0.1:7701\"\n"
                    "[security]\ncert = \"a\"\nkey = \"b\"\nca = \"c\"\n"
                    "passphrase = \"x\"\n"));
  ASSERT_FALSE(cfg);
  EXPECT_NE(describe(cfg.error()).find("[security]: unknown key 'passphrase'"),
            std::string::npos)
    << describe(cfg.error());
  cfg = load_member_config(write_temp_file(
    "mc_security_table.toml", "security = 1\n[node]\nname = \"n1\"\n"
                              "listen = \"127.0.0.1:7701\"\n"));
  ASSERT_FALSE(cfg);
  EXPECT_NE(describe(cfg.error()).find("'security' must be a table"),
            std::string::npos)
    << describe(cfg.error());
}

TEST(MemberConfig, ReplayBufferAndPageSizes) {
  auto cfg = load("mc_replay_default.toml", "listen = \"127.0.0.1:7701\"\n");
  ASSERT_TRUE(cfg) << describe(cfg.error());
  EXPECT_EQ(cfg->replay_buffer_rows, 256 * 1024);
  EXPECT_EQ(cfg->replay_page_rows, 64 * 1024);
  cfg = load("mc_replay_small.toml",
             "listen = \"127.0.0.1:7701\"\n[cluster]\nreplay_buffer_rows = "
             "10\nreplay_page_rows = 3\n");
  ASSERT_TRUE(cfg) << describe(cfg.error());
  EXPECT_EQ(cfg->replay_buffer_rows, 10);
  EXPECT_EQ(cfg->replay_page_rows, 3);
  cfg = load("mc_replay_zero.toml",
             "listen = \"127.0.0.1:7701\"\n[cluster]\nreplay_page_rows = 0\n");
  ASSERT_FALSE(cfg);
  EXPECT_NE(describe(cfg.error()).find("'replay_page_rows'"), std::string::npos)
    << describe(cfg.error());
}

TEST(MemberConfig, DataDirIsBesideTheConfigAndOptional) {
  auto cfg = load("mc_data_none.toml", "listen = \"127.0.0.1:7701\"\n");
  ASSERT_TRUE(cfg) << describe(cfg.error());
  EXPECT_EQ(cfg->data_dir, "");
  cfg = load("mc_data_empty.toml",
             "listen = \"127.0.0.1:7701\"\ndata_dir = \"\"\n");
  ASSERT_TRUE(cfg) << describe(cfg.error());
  EXPECT_EQ(cfg->data_dir, "");
  auto path = write_temp_file("mc_data_rel.toml",
                              "[node]\nname = \"n1\"\nlisten = "
                              "\"127.0.0.1:7701\"\ndata_dir = \"data/./n1\"\n");
  cfg = load_member_config(path);
  ASSERT_TRUE(cfg) << describe(cfg.error());
  EXPECT_EQ(cfg->data_dir,
            (std::filesystem::path{path}.parent_path() / "data/n1").string());
  cfg = load("mc_data_abs.toml",
             "listen = \"127.0.0.1:7701\"\ndata_dir = \"/var/lib/shoal/n1\"\n");
  ASSERT_TRUE(cfg) << describe(cfg.error());
  EXPECT_EQ(cfg->data_dir, "/var/lib/shoal/n1");
  cfg = load("mc_data_int.toml", "listen = \"127.0.0.1:7701\"\ndata_dir = 5\n");
  ASSERT_FALSE(cfg);
  EXPECT_NE(describe(cfg.error())
              .find("mc_data_int.toml: [node] 'data_dir': must be a string"),
            std::string::npos)
    << describe(cfg.error());
}

namespace {

/// `[cluster] key` reads into `field`: `def` when absent, each of `ok` as
/// given, and each of `bad` refused with a message naming the file and key.
void expect_cluster_ms(const std::string& key, int64_t member_config::*field,
                       int64_t def, std::initializer_list<int64_t> ok,
                       std::initializer_list<const char*> bad) {
  auto cfg
    = load("mc_" + key + "_default.toml", "listen = \"127.0.0.1:7701\"\n");
  ASSERT_TRUE(cfg) << describe(cfg.error());
  EXPECT_EQ((*cfg).*field, def) << key;
  for (auto ms : ok) {
    cfg = load("mc_" + key + "_ok.toml",
               "listen = \"127.0.0.1:7701\"\n[cluster]\n" + key + " = "
                 + std::to_string(ms) + "\n");
    ASSERT_TRUE(cfg) << describe(cfg.error());
    EXPECT_EQ((*cfg).*field, ms) << key;
  }
  for (auto value : bad) {
    auto file = "mc_" + key + "_bad.toml";
    cfg = load(file, "listen = \"127.0.0.1:7701\"\n[cluster]\n" + key + " = "
                       + std::string{value} + "\n");
    ASSERT_FALSE(cfg) << key << " = " << value;
    EXPECT_NE(
      describe(cfg.error()).find(file + ": [cluster] '" + key + "': must be "),
      std::string::npos)
      << describe(cfg.error());
  }
}

} // namespace

TEST(MemberConfig, CheckpointMinPauseDefaultsToNoneAndIsBounded) {
  expect_cluster_ms("checkpoint_min_pause_ms",
                    &member_config::checkpoint_min_pause_ms, 0,
                    {0, 1500, 3'600'000}, {"-1", "3600001", "\"1s\"", "1.5"});
}

TEST(MemberConfig, CheckpointIntervalDefaultsToASecondAndZeroTurnsItOff) {
  expect_cluster_ms("checkpoint_interval_ms",
                    &member_config::checkpoint_interval_ms, 1000,
                    {0, 250, 3'600'000}, {"-1", "3600001", "\"1s\""});
  auto cfg = load("mc_ckpt_neg.toml", "listen = \"127.0.0.1:7701\"\n[cluster]\n"
                                      "checkpoint_interval_ms = -5\n");
  ASSERT_FALSE(cfg);
  EXPECT_NE(describe(cfg.error()).find("must be from 0 to 3600000, not -5"),
            std::string::npos)
    << describe(cfg.error());
}

// The example that the package installs as /etc/shoal/shoal.toml
// (packaging/shoal.toml) is a valid member configuration whose checkpoints
// go to the service's StateDirectory.
TEST(MemberConfig, ReadsThePackagedExample) {
  auto cfg = load_member_config(SHOAL_SOURCE_DIR "/packaging/shoal.toml");
  ASSERT_TRUE(cfg) << describe(cfg.error());
  EXPECT_EQ(cfg->name, "n1");
  EXPECT_EQ(cfg->data_dir, "/var/lib/shoal");
  EXPECT_TRUE(cfg->listen.is_loopback());
  ASSERT_EQ(cfg->seeds.size(), 1u);
  EXPECT_EQ(cfg->seeds[0].port, cfg->listen.port);
}
