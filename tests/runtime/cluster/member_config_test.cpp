// A member's configuration: the rule that an unauthenticated member port
// stays on loopback unless the operator says otherwise (SPEC section 9).

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
