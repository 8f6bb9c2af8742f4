// `shoal-node --config` refuses an unauthenticated member port on an
// address other than loopback, and says why (SPEC section 9).

#include <gtest/gtest.h>

#include "tests/support/process.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal::test_support;

TEST(ShoalNodeMember, RefusesToListenBeyondLoopbackUnlessInsecure) {
  auto path
    = write_temp_file("open_listen.toml", "[node]\nname = \"n1\"\n"
                                          "listen = \"0.0.0.0:7701\"\n");
  auto res = run_command(binary("shoal-node") + " --config " + path);
  EXPECT_EQ(res.exit_code, 2) << res.output;
  EXPECT_NE(res.output.find("open_listen.toml: [node] 'listen': 0.0.0.0:7701 "
                            "is not a loopback address"),
            std::string::npos)
    << res.output;
}
