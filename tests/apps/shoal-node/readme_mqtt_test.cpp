// The README's MQTT example, run exactly as written (issue 17): its
// n1.toml, G.toml and commands are taken from README.md by their
// `<!-- mqtt-example NAME -->` markers, so that this test fails when the
// README drifts from what works. Only the ports change: the test's own
// mosquitto for 1883, free ports for the member's 7741 and 7781, and the
// build folder for build/bin/.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal::test_support;

namespace {

/// The fenced block that follows the marker `<!-- mqtt-example NAME -->`
/// in `readme`; empty if there is none.
std::string example_block(const std::string& readme, const std::string& name) {
  auto marker = readme.find("<!-- mqtt-example " + name + " -->");
  if (marker == std::string::npos)
    return {};
  auto fence = readme.find("```", marker);
  auto body = readme.find('\n', fence) + 1;
  auto end = readme.find("\n```", body);
  if (fence == std::string::npos || end == std::string::npos)
    return {};
  return readme.substr(body, end - body + 1);
}

std::string replace_all(std::string text, const std::string& from,
                        const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

} // namespace

class ReadmeMqtt : public temp_dir_test {};

TEST_F(ReadmeMqtt, TheExampleWorksAsWritten) {
  auto readme = read_file(std::string{SHOAL_SOURCE_DIR} + "/README.md");
  ASSERT_FALSE(readme.empty());
  mosquitto_broker broker;
  ASSERT_TRUE(broker.running());
  auto bin = binary("shoal-node");
  bin = bin.substr(0, bin.rfind('/') + 1);
  auto broker_port = std::to_string(broker.port());
  auto adapt = [&](std::string text) {
    text = replace_all(text, "127.0.0.1:1883", "127.0.0.1:" + broker_port);
    text = replace_all(text, "7741", std::to_string(free_loopback_port()));
    text = replace_all(text, "7781", std::to_string(free_loopback_port()));
    text = replace_all(text, "build/bin/", bin);
    text = replace_all(text, "mosquitto_sub ",
                       "mosquitto_sub -p " + broker_port + " ");
    return replace_all(text, "mosquitto_pub ",
                       "mosquitto_pub -p " + broker_port + " ");
  };
  // One substitution for the files and the commands: the same ports.
  auto node = example_block(readme, "n1.toml");
  auto graph = example_block(readme, "G.toml");
  auto commands = example_block(readme, "commands");
  ASSERT_FALSE(node.empty() || graph.empty() || commands.empty()) << readme;
  std::string sep = "\n#--8<--\n";
  auto all = adapt(node + sep + graph + sep + commands);
  auto first = all.find(sep);
  auto second = all.find(sep, first + sep.size());
  write("n1.toml", all.substr(0, first));
  write("G.toml", all.substr(first + sep.size(), second - first - sep.size()));
  // The commands leave the member and mosquitto_sub in the background:
  // wait for mosquitto_sub's three outputs, then stop the member.
  auto script = write("example.sh",
                      "cd " + dir_.string()
                        + "\ntrap 'kill $(jobs -p) 2>/dev/null; wait' EXIT\n"
                        + all.substr(second + sep.size()) + "wait $!\n");
  auto res = run_command("timeout 60 bash " + script);
  EXPECT_EQ(res.exit_code, 0) << res.output;
  std::regex line{R"(shoal/out/plant/pump1/temp/mean (\{.*\}))"};
  std::vector<double> values;
  std::vector<int64_t> ts;
  std::istringstream in{res.output};
  for (std::string text; std::getline(in, text);) {
    std::smatch m;
    if (!std::regex_match(text, m, line))
      continue;
    auto j = nlohmann::json::parse(m[1].str());
    values.push_back(j["value"].get<double>());
    ts.push_back(j["ts"].get<int64_t>());
  }
  EXPECT_EQ(values, (std::vector<double>{71.5, 72.0, 73.0})) << res.output;
  ASSERT_EQ(ts.size(), 3u);
  EXPECT_LT(ts[0], ts[1]);
  EXPECT_LT(ts[1], ts[2]);
}
