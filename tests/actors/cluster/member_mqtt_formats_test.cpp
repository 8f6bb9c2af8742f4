// Several values per MQTT message, end to end: a shoal-node member logs in
// to a mosquitto that wants a password, reads a multi-value JSON object and
// a Telegraf batch, and its jsonl sink gets the outputs with the samples'
// own timestamps.

#include <chrono>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>

#include "tests/support/member_process.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal::test_support;

namespace {

const char* formats_graph = R"(
[[sensor]]
name = "plant.pump1.temp"
[[sensor]]
name = "plant.pump1.amps"
[[sensor]]
name = "cpu.h1.usage_idle"
[[feature]]
name = "f.temp"
fn = "ewma"
needs = ["plant.pump1.temp"]
alpha = 1.0
emit = true
[[feature]]
name = "f.amps"
fn = "ewma"
needs = ["plant.pump1.amps"]
alpha = 1.0
emit = true
[[feature]]
name = "f.idle"
fn = "ewma"
needs = ["cpu.h1.usage_idle"]
alpha = 1.0
emit = true
)";

/// node -> "ts value" of the rows of the jsonl file at `path`.
std::map<std::string, std::string> rows(const std::string& path) {
  std::map<std::string, std::string> result;
  std::istringstream in{read_file(path)};
  std::string line;
  while (std::getline(in, line)) {
    auto doc = nlohmann::json::parse(line, nullptr, false);
    if (doc.is_discarded())
      continue;
    result[doc["node"].get<std::string>()]
      = std::to_string(doc["ts"].get<int64_t>()) + " " + doc["value"].dump();
  }
  return result;
}

} // namespace

TEST(MemberMqttFormats, JsonAndTelegrafReachTheSinkWithTheirTimestamps) {
  auto pw = make_password_file("plant", "s3cret");
  mosquitto_options opts;
  opts.password_file = pw;
  mosquitto_broker broker{opts};
  ASSERT_TRUE(broker.running());
  auto secret = write_temp_file("formats_pw", "s3cret\n");
  auto graph = write_temp_file("formats_graph.toml", formats_graph);
  auto out = write_temp_file("formats_out.jsonl", "");
  auto port = free_loopback_port();
  auto login = "username = \"plant\"\npassword_file = \"" + secret + "\"\n";
  member_process n1{write_member_config(
    "n1", port, {port}, "",
    "[[source]]\nkind = \"mqtt\"\nurl = \"" + broker.url()
      + "\"\ntopic = \"plant/#\"\npayload = \"json\"\n"
        "timestamp_key = \"time\"\ntimestamp_unit = \"ms\"\n"
      + login + "[[source]]\nkind = \"mqtt\"\nurl = \"" + broker.url()
      + "\"\ntopics = [\"telegraf/+/cpu\"]\npayload = \"telegraf\"\n"
        "tags = [\"host\"]\n"
      + login + "[[sink]]\nkind = \"jsonl\"\npath = \"" + out + "\"\n")};
  await_member_count(port, 1);
  auto res = shoalctl(port, "apply " + graph);
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log();
  ASSERT_TRUE(await_log(n1, "member n1 started 2 sources")) << n1.log();
  // A second ahead of now, so that neither is late.
  auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count()
                + 1000;
  auto now_s = now_ms / 1000 + 1;
  auto pub = [&](const std::string& topic, const std::string& payload) {
    auto r = run_command(
      "mosquitto_pub -h 127.0.0.1 -p " + std::to_string(broker.port())
      + " -u plant -P s3cret -q 1 -t " + topic + " -m '" + payload + "'");
    ASSERT_EQ(r.exit_code, 0) << r.output;
  };
  pub("plant/pump1", "{\"time\": " + std::to_string(now_ms)
                       + ", \"temp\": 71.5, \"amps\": 3.25, \"unit\": "
                         "\"degC\"}");
  pub("telegraf/h1/cpu",
      "{\"metrics\": [{\"fields\": {\"usage_idle\": 98.5}, \"name\": \"cpu\", "
      "\"tags\": {\"host\": \"h1\", \"cpu\": \"cpu-total\"}, \"timestamp\": "
        + std::to_string(now_s) + "}]}");
  std::map<std::string, std::string> got;
  for (int i = 0; i < 150 && got.size() < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    got = rows(out);
  }
  auto ms = std::to_string(now_ms) + "000000 ";
  EXPECT_EQ(got["f.temp"], ms + "71.5") << n1.log();
  EXPECT_EQ(got["f.amps"], ms + "3.25") << n1.log();
  EXPECT_EQ(got["f.idle"], std::to_string(now_s) + "000000000 98.5")
    << n1.log();
}
