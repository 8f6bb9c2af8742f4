// The MQTT keys of [[source]] and [[sink]]: login, TLS, topics and payload
// options, and errors that name the file, the entry and the key.

#include <filesystem>
#include <gtest/gtest.h>
#include <toml++/toml.h>

#include "runtime/core/errc.hpp"
#include "runtime/io/io_config.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

/// Parses `text` as the file n1.toml in the folder of `dir_file`.
caf::expected<io_config> parse_in(const std::string& dir,
                                  const std::string& text) {
  auto tbl = toml::parse(text);
  return parse_io_config(tbl, dir + "/n1.toml");
}

std::string error_in(const std::string& dir, const std::string& text) {
  auto cfg = parse_in(dir, text);
  return cfg ? std::string{"no error"} : describe(cfg.error());
}

class MqttConfig : public testing::Test {
protected:
  void SetUp() override {
    auto file = write_temp_file("mqtt_config_pw", "s3cret\n");
    dir_ = std::filesystem::path{file}.parent_path().string();
    pw_ = std::filesystem::path{file}.filename().string();
    ca_ = std::filesystem::path{write_temp_file("mqtt_config_ca.pem", "x")}
            .filename()
            .string();
  }

  std::string source(const std::string& extra) {
    return "[[source]]\nkind = \"mqtt\"\nurl = \"mqtt://h\"\n" + extra;
  }

  std::string error(const std::string& text) {
    return error_in(dir_, text);
  }

  std::string where() {
    return dir_ + "/n1.toml: source #1: ";
  }

  std::string dir_;
  std::string pw_;
  std::string ca_;
};

} // namespace

TEST_F(MqttConfig, ReadsLoginTlsTopicsAndPayload) {
  auto cfg = parse_in(dir_, R"([[source]]
kind = "mqtt"
url = "mqtts://broker.plant"
topics = ["plant/+/temp", "hall/#"]
username = "shoal"
password_file = ")" + pw_ + R"("
ca = ")" + ca_ + R"("
payload = "telegraf"
tags = ["host"]

[[sink]]
kind = "mqtt"
url = "mqtt://127.0.0.1:8884"
tls = true
tls_insecure = true
username = "out"
password = "pw"
)");
  ASSERT_TRUE(cfg) << describe(cfg.error());
  auto& src = cfg->sources.at(0);
  EXPECT_EQ(src.broker.port, 8883); // mqtts:// without a port
  EXPECT_TRUE(src.connection.tls);
  EXPECT_EQ(src.connection.username, "shoal");
  EXPECT_EQ(src.connection.password, "s3cret"); // newline dropped
  EXPECT_EQ(src.connection.ca, dir_ + "/" + ca_);
  EXPECT_FALSE(src.connection.tls_insecure);
  EXPECT_EQ(src.topic, "");
  EXPECT_EQ(src.topics, (std::vector<std::string>{"plant/+/temp", "hall/#"}));
  EXPECT_EQ(topic_list(src), "plant/+/temp,hall/#");
  EXPECT_EQ(src.payload.format, mqtt_payload_format::telegraf);
  EXPECT_EQ(src.payload.timestamp_key, "timestamp"); // Telegraf's defaults
  EXPECT_EQ(src.payload.unit, ts_unit::s);
  EXPECT_EQ(src.payload.tags, std::vector<std::string>{"host"});
  auto& sink = cfg->sinks.at(0);
  EXPECT_EQ(sink.broker.port, 8884);
  EXPECT_TRUE(sink.connection.tls);
  EXPECT_TRUE(sink.connection.tls_insecure);
  EXPECT_EQ(sink.connection.ca, ""); // the system's CAs
  EXPECT_EQ(sink.connection.password, "pw");
}

TEST_F(MqttConfig, DefaultsStayAsBefore) {
  auto cfg = parse_in(dir_, source("topic = \"plant/#\"\n"));
  ASSERT_TRUE(cfg) << describe(cfg.error());
  auto& src = cfg->sources.at(0);
  EXPECT_EQ(src.broker.port, 1883);
  EXPECT_FALSE(src.connection.tls);
  EXPECT_EQ(src.connection.username, "");
  EXPECT_EQ(src.payload.format, mqtt_payload_format::value);
  EXPECT_EQ(src.payload.timestamp_key, "ts");
  EXPECT_EQ(src.payload.unit, ts_unit::ns);
  cfg = parse_in(dir_, source("topic = \"t\"\npayload = \"json\"\n"
                              "timestamp_key = \"time\"\n"
                              "timestamp_unit = \"rfc3339\"\n"));
  ASSERT_TRUE(cfg) << describe(cfg.error());
  EXPECT_EQ(cfg->sources[0].payload.timestamp_key, "time");
  EXPECT_EQ(cfg->sources[0].payload.unit, ts_unit::rfc3339);
}

TEST_F(MqttConfig, ErrorsNameTheKey) {
  EXPECT_EQ(error(source("topic = \"a\"\ntopics = [\"b\"]\n")),
            where() + "'topic' and 'topics' together: give one of them");
  EXPECT_EQ(error(source("")), where() + "missing required key 'topic'");
  EXPECT_EQ(error(source("topics = []\n")),
            where() + "'topics' must not be empty");
  EXPECT_EQ(error(source("topics = [\"a\", 3]\n")),
            where() + "'topics'[1] must be a string, not an integer");
  EXPECT_EQ(error(source("topic = \"t\"\npassword = \"x\"\n")),
            where() + "a password needs a 'username'");
  EXPECT_EQ(error(source("topic = \"t\"\nusername = \"u\"\npassword = \"x\"\n"
                         "password_file = \""
                         + pw_ + "\"\n")),
            where() + "'password' and 'password_file' together: give one");
  EXPECT_EQ(error(source("topic = \"t\"\nusername = \"u\"\n"
                         "password_file = \"missing.pw\"\n")),
            where() + "'password_file': cannot read '" + dir_ + "/missing.pw'");
  EXPECT_EQ(error(source("topic = \"t\"\nca = \"" + ca_ + "\"\n")),
            where() + "'ca' needs tls = true");
  EXPECT_EQ(
    error(source("topic = \"t\"\ntls = true\ncert = \"" + ca_ + "\"\n")),
    where() + "'cert' needs 'key'");
  EXPECT_EQ(error(source("topic = \"t\"\ntls = \"yes\"\n")),
            where() + "'tls' must be true or false, not a string");
  EXPECT_EQ(error("[[source]]\nkind = \"mqtt\"\nurl = \"mqtts://h\"\n"
                  "topic = \"t\"\ntls = false\n"),
            where() + "'tls' = false with an mqtts:// url");
  EXPECT_EQ(error(source("topic = \"t\"\npayload = \"xml\"\n")),
            where()
              + "'payload' must be \"value\", \"json\", \"telegraf\" or "
                "\"sparkplug_b\", not 'xml'");
  EXPECT_EQ(error(source("topic = \"t\"\ntimestamp_unit = \"min\"\n")),
            where()
              + "'timestamp_unit' must be \"ns\", \"us\", \"ms\", \"s\" or "
                "\"rfc3339\", not 'min'");
  EXPECT_EQ(error(source("topic = \"t\"\ntags = [\"host\"]\n")),
            where() + "'tags' needs payload = \"telegraf\"");
  EXPECT_EQ(error(source("topic = \"t\"\npayload = \"sparkplug_b\"\n"
                         "timestamp_unit = \"s\"\n")),
            where()
              + "'timestamp_unit' does not apply to payload \"sparkplug_b\" "
                "(its timestamps are ms)");
  EXPECT_EQ(error("[[sink]]\nkind = \"mqtt\"\nurl = \"mqtt://h\"\n"
                  "key = \"k.pem\"\n"),
            dir_ + "/n1.toml: sink #1: 'key' needs tls = true");
}

TEST_F(MqttConfig, PasswordIsNeverInAnError) {
  auto text = error(source("topic = \"t\"\npassword = \"hunter2\"\n"));
  EXPECT_EQ(text.find("hunter2"), std::string::npos) << text;
}
