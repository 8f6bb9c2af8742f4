// A cluster member's log: one logfmt line per event with its member, the
// SIGTERM that starts a planned leave, the events' key=value fields, and
// the least level from [node] log_level or --log-level.

#include <gtest/gtest.h>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/member_process.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal::test_support;

namespace {

using logfmt_record = std::map<std::string, std::string>;

/// Reads one logfmt line back as journald or Loki would: `key=value` pairs
/// split at spaces, a quoted value up to its closing quote with `\"` and
/// `\\` undone. Fails the test on a line that is not logfmt or repeats a
/// key.
logfmt_record parse_logfmt(const std::string& line) {
  logfmt_record out;
  size_t i = 0;
  while (i < line.size()) {
    auto eq = line.find('=', i);
    EXPECT_NE(eq, std::string::npos) << "no '=' in: " << line;
    if (eq == std::string::npos)
      return out;
    auto key = line.substr(i, eq - i);
    EXPECT_EQ(key.find_first_of(" \""), std::string::npos) << line;
    std::string value;
    i = eq + 1;
    if (i < line.size() && line[i] == '"') {
      for (++i; i < line.size() && line[i] != '"'; ++i) {
        if (line[i] == '\\' && i + 1 < line.size())
          ++i;
        value += line[i];
      }
      EXPECT_LT(i, line.size()) << "unterminated quote in: " << line;
      ++i;
    } else {
      auto end = line.find(' ', i);
      end = end == std::string::npos ? line.size() : end;
      value = line.substr(i, end - i);
      i = end;
    }
    EXPECT_TRUE(out.emplace(key, value).second) << key << " twice: " << line;
    if (i < line.size()) {
      EXPECT_EQ(line[i], ' ') << line;
      ++i;
    }
  }
  return out;
}

/// Every line of `log`, parsed.
std::vector<logfmt_record> parse_log(const std::string& log) {
  std::vector<logfmt_record> out;
  std::istringstream in{log};
  for (std::string line; std::getline(in, line);)
    out.push_back(parse_logfmt(line));
  return out;
}

/// The first record whose `event` is `event`, or an empty one.
logfmt_record find_event(const std::vector<logfmt_record>& xs,
                         const std::string& event) {
  for (auto& x : xs)
    if (auto i = x.find("event"); i != x.end() && i->second == event)
      return x;
  return {};
}

} // namespace

TEST(MemberLog, ParsesTheReaderOfTheseTests) {
  auto x = parse_logfmt(R"(ts=1 msg="a \"b\" c=d\\" peer=n2 empty="")");
  EXPECT_EQ(x["ts"], "1");
  EXPECT_EQ(x["msg"], "a \"b\" c=d\\");
  EXPECT_EQ(x["peer"], "n2");
  EXPECT_EQ(x["empty"], "");
  EXPECT_EQ(x.size(), 4u);
}

TEST(MemberLog, EveryLineIsLogfmtAndEventsCarryFields) {
  int p1 = free_loopback_port();
  int p2 = free_loopback_port();
  member_process n1{write_member_config("n1", p1, {p1, p2})};
  member_process n2{write_member_config("n2", p2, {p1, p2})};
  await_member_count(p1, 2);
  ASSERT_TRUE(await_log(n1, "n2 joined")) << n1.log();
  auto graph = write_temp_file("member_log_graph.toml", two_cell_graph);
  ASSERT_EQ(shoalctl(p1, "apply " + graph).exit_code, 0) << n1.log();
  EXPECT_EQ(n2.stop(), 0);
  ASSERT_TRUE(await_log(n1, "n2 left")) << n1.log();
  EXPECT_EQ(n1.stop(), 0);
  for (auto* m : {&n1, &n2}) {
    auto records = parse_log(m->log());
    ASSERT_FALSE(records.empty());
    for (auto& x : records) {
      EXPECT_EQ(x.count("ts"), 1u);
      EXPECT_EQ(x.count("level"), 1u);
      EXPECT_EQ(x.count("msg"), 1u);
      EXPECT_EQ(x["member"], m == &n1 ? "n1" : "n2");
    }
  }
  auto n1_log = parse_log(n1.log());
  auto joined = find_event(n1_log, "joined");
  EXPECT_EQ(joined["peer"], "n2") << n1.log();
  EXPECT_EQ(joined["address"], "127.0.0.1:" + std::to_string(p2));
  EXPECT_EQ(joined["level"], "info");
  auto left = find_event(n1_log, "left");
  EXPECT_EQ(left["peer"], "n2") << n1.log();
  EXPECT_EQ(left["reason"], "planned leave");
  // The leader (n1, the smaller name) applied the graph: 5 nodes.
  auto applied = find_event(n1_log, "apply");
  EXPECT_EQ(applied["added"], "5") << n1.log();
  EXPECT_EQ(applied["replaced"], "0");
  EXPECT_EQ(applied["unchanged"], "0");
  auto n2_log = parse_log(n2.log());
  EXPECT_EQ(find_event(n2_log, "signal")["signal"], "SIGTERM") << n2.log();
  EXPECT_FALSE(find_event(n2_log, "leaving")["timeout_s"].empty());
}

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
