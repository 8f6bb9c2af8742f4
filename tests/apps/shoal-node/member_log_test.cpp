// A cluster member's log: one logfmt line per event with its member, the
// SIGTERM that starts a planned leave, and the least level from [node]
// log_level or --log-level.

#include <gtest/gtest.h>
#include <string>

#include "tests/support/member_process.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/process.hpp"

using namespace shoal::test_support;

TEST(MemberLog, WritesLogfmtLinesAndTheSigterm) {
  int port = free_loopback_port();
  member_process n1{write_member_config("n1", port, {port})};
  ASSERT_TRUE(await_log(n1, "listening on")) << n1.log();
  EXPECT_EQ(n1.stop(), 0);
  auto log = n1.log();
  EXPECT_EQ(log.rfind("ts=", 0), 0u) << log;
  EXPECT_NE(log.find("Z level=info member=n1 msg=\"member n1 listening on "
                     "127.0.0.1:"
                     + std::to_string(port) + "\"\n"),
            std::string::npos)
    << log;
  EXPECT_NE(
    log.find("level=info member=n1 msg=\"member n1: SIGTERM: leaving\""),
    std::string::npos)
    << log;
}

TEST(MemberLog, LeavesOutLinesBelowTheConfiguredLevel) {
  int port = free_loopback_port();
  member_process n1{
    write_member_config("n1", port, {port}, "log_level = \"error\"\n")};
  await_member_count(port, 1);
  EXPECT_EQ(n1.stop(), 0);
  EXPECT_EQ(n1.log().find("level=info"), std::string::npos) << n1.log();
}

TEST(MemberLog, RejectsAnUnknownLevelInTheConfig) {
  int port = free_loopback_port();
  auto config
    = write_member_config("n1", port, {port}, "log_level = \"loud\"\n");
  auto res = run_command(binary("shoal-node") + " --config " + config);
  EXPECT_EQ(res.exit_code, 2) << res.output;
  EXPECT_NE(res.output.find("[node] 'log_level': must be one of debug, info, "
                            "warn, error"),
            std::string::npos)
    << res.output;
}
