// The [[source]] and [[sink]] arrays of a member's configuration file.

#include <gtest/gtest.h>
#include <toml++/toml.h>

#include "runtime/core/errc.hpp"
#include "runtime/io/io_config.hpp"

using namespace shoal;

namespace {

caf::expected<io_config> parse(const std::string& text) {
  auto tbl = toml::parse(text);
  return parse_io_config(tbl, "/etc/shoal/n1.toml");
}

std::string error_of(const std::string& text) {
  auto cfg = parse(text);
  return cfg ? std::string{"no error"} : describe(cfg.error());
}

} // namespace

TEST(IoConfig, ReadsEveryKindWithDefaults) {
  auto cfg = parse(R"(
[[source]]
kind = "mqtt"
url = "mqtt://127.0.0.1:1884"
topic = "plant/#"

[[source]]
kind = "tcp"
listen = "127.0.0.1:0"
allowed_lateness_ns = 5_000_000

[[sink]]
kind = "mqtt"
url = "mqtt://broker"
qos = 0

[[sink]]
kind = "tcp"
listen = "[::1]:7791"

[[sink]]
kind = "csv"
path = "out/a.csv"

[[sink]]
kind = "jsonl"
path = "/tmp/b.jsonl"
)");
  ASSERT_TRUE(cfg) << describe(cfg.error());
  ASSERT_EQ(cfg->sources.size(), 2u);
  auto& mqtt = cfg->sources[0];
  EXPECT_EQ(mqtt.kind, source_kind::mqtt);
  EXPECT_EQ(mqtt.broker.host, "127.0.0.1");
  EXPECT_EQ(mqtt.broker.port, 1884);
  EXPECT_EQ(mqtt.topic, "plant/#");
  EXPECT_EQ(mqtt.qos, 1);
  EXPECT_EQ(mqtt.allowed_lateness_ns, 100'000'000);
  auto& tcp = cfg->sources[1];
  EXPECT_EQ(tcp.kind, source_kind::tcp);
  EXPECT_EQ(tcp.listen.host, "127.0.0.1");
  EXPECT_EQ(tcp.listen.port, 0);
  EXPECT_EQ(tcp.allowed_lateness_ns, 5'000'000);
  ASSERT_EQ(cfg->sinks.size(), 4u);
  EXPECT_EQ(cfg->sinks[0].kind, sink_kind::mqtt);
  EXPECT_EQ(cfg->sinks[0].broker.port, 1883);
  EXPECT_EQ(cfg->sinks[0].topic_prefix, "shoal/out");
  EXPECT_EQ(cfg->sinks[0].qos, 0);
  EXPECT_EQ(cfg->sinks[0].queue, 100'000u);
  EXPECT_EQ(cfg->sinks[1].listen.host, "::1");
  EXPECT_EQ(cfg->sinks[1].listen.port, 7791);
  EXPECT_EQ(cfg->sinks[2].kind, sink_kind::csv);
  EXPECT_EQ(cfg->sinks[2].path, "/etc/shoal/out/a.csv");
  EXPECT_EQ(cfg->sinks[3].kind, sink_kind::jsonl);
  EXPECT_EQ(cfg->sinks[3].path, "/tmp/b.jsonl");
}

TEST(IoConfig, NoEntriesIsEmpty) {
  auto cfg = parse("[node]\nname = \"n1\"\n");
  ASSERT_TRUE(cfg);
  EXPECT_TRUE(cfg->sources.empty());
  EXPECT_TRUE(cfg->sinks.empty());
}

TEST(IoConfig, ErrorsNameFileEntryAndKey) {
  EXPECT_EQ(error_of("[[source]]\nkind = \"tcp\"\nlisten = \"127.0.0.1:1\"\n"
                     "[[source]]\nkind = \"tcp\"\nlisten = \"127.0.0.1:2\"\n"
                     "port = 5\n"),
            "/etc/shoal/n1.toml: source #2: unknown key 'port' for kind "
            "'tcp' (allowed: kind listen allowed_lateness_ns)");
  EXPECT_EQ(error_of("[[sink]]\nkind = \"csv\"\n"),
            "/etc/shoal/n1.toml: sink #1: missing required key 'path'");
  EXPECT_EQ(error_of("[[sink]]\npath = \"x\"\n"),
            "/etc/shoal/n1.toml: sink #1: missing required key 'kind'");
  EXPECT_EQ(error_of("[[sink]]\nkind = \"kafka\"\n"),
            "/etc/shoal/n1.toml: sink #1: unknown kind 'kafka' (known: mqtt, "
            "tcp, csv, jsonl, influxdb)");
  EXPECT_EQ(error_of("[[source]]\nkind = \"mqtt\"\nurl = \"mqtt://h\"\n"
                     "topic = \"t\"\nqos = 2\n"),
            "/etc/shoal/n1.toml: source #1: 'qos' must be between 0 and 1, "
            "not 2");
  EXPECT_EQ(error_of("[[source]]\nkind = \"mqtt\"\nurl = \"mqtt://h\"\n"
                     "topic = 7\n"),
            "/etc/shoal/n1.toml: source #1: 'topic' must be a string, not an "
            "integer");
  EXPECT_EQ(error_of("[[source]]\nkind = \"tcp\"\nlisten = \"127.0.0.1:0\"\n"
                     "allowed_lateness_ns = -1\n"),
            "/etc/shoal/n1.toml: source #1: 'allowed_lateness_ns' must be "
            "between 0 and 3600000000000, not -1");
  EXPECT_EQ(error_of("source = 3\n"),
            "/etc/shoal/n1.toml: 'source' must be an array of tables "
            "([[source]]), not an integer");
}

TEST(IoConfig, MqttSinkQueueCap) {
  auto cfg = parse("[[sink]]\nkind = \"mqtt\"\nurl = \"mqtt://h\"\n"
                   "queue = 1000\n");
  ASSERT_TRUE(cfg);
  EXPECT_EQ(cfg->sinks[0].queue, 1000u);
  EXPECT_EQ(error_of("[[sink]]\nkind = \"mqtt\"\nurl = \"mqtt://h\"\n"
                     "queue = 0\n"),
            "/etc/shoal/n1.toml: sink #1: 'queue' must be between 1 and "
            "100000000, not 0");
  EXPECT_EQ(error_of("[[sink]]\nkind = \"mqtt\"\nurl = \"mqtt://h\"\n"
                     "queue = \"big\"\n"),
            "/etc/shoal/n1.toml: sink #1: 'queue' must be an integer, not a "
            "string");
  EXPECT_EQ(error_of("[[sink]]\nkind = \"csv\"\npath = \"x\"\n"
                     "queue = 5\n"),
            "/etc/shoal/n1.toml: sink #1: unknown key 'queue' for kind 'csv' "
            "(allowed: kind path truncate)");
}

TEST(IoConfig, RejectsBadAddresses) {
  EXPECT_EQ(error_of("[[source]]\nkind = \"mqtt\"\nurl = \"http://h:1\"\n"
                     "topic = \"t\"\n"),
            "/etc/shoal/n1.toml: source #1: 'url': 'http://h:1' is not an "
            "mqtt://host[:port] URL");
  EXPECT_EQ(error_of("[[sink]]\nkind = \"mqtt\"\nurl = \"mqtt://h:0\"\n"),
            "/etc/shoal/n1.toml: sink #1: 'url': 'mqtt://h:0' has no valid "
            "port (1 to 65535)");
  EXPECT_EQ(error_of("[[sink]]\nkind = \"tcp\"\nlisten = \"7791\"\n"),
            "/etc/shoal/n1.toml: sink #1: 'listen': '7791' is not host:port");
  EXPECT_EQ(error_of("[[sink]]\nkind = \"tcp\"\nlisten = \"h:70000\"\n"),
            "/etc/shoal/n1.toml: sink #1: 'listen': 'h:70000' has no valid "
            "port (0 to 65535)");
  EXPECT_EQ(error_of("[[sink]]\nkind = \"mqtt\"\nurl = \"mqtt://h\"\n"
                     "topic_prefix = \"a/#\"\n"),
            "/etc/shoal/n1.toml: sink #1: 'topic_prefix' must not contain "
            "'+' or '#'");
}

TEST(IoConfig, FileSinksTakeTruncate) {
  auto cfg = parse("[[sink]]\nkind = \"csv\"\npath = \"a.csv\"\n"
                   "[[sink]]\nkind = \"jsonl\"\npath = \"b.jsonl\"\n"
                   "truncate = true\n"
                   "[[sink]]\nkind = \"jsonl\"\npath = \"c.jsonl\"\n"
                   "truncate = false\n");
  ASSERT_TRUE(cfg) << describe(cfg.error());
  ASSERT_EQ(cfg->sinks.size(), 3u);
  EXPECT_FALSE(cfg->sinks[0].truncate);
  EXPECT_TRUE(cfg->sinks[1].truncate);
  EXPECT_FALSE(cfg->sinks[2].truncate);
  EXPECT_EQ(error_of("[[sink]]\nkind = \"csv\"\npath = \"x\"\n"
                     "truncate = \"yes\"\n"),
            "/etc/shoal/n1.toml: sink #1: 'truncate' must be true or false, "
            "not a string");
  EXPECT_EQ(error_of("[[sink]]\nkind = \"jsonl\"\npath = \"x\"\n"
                     "truncate = 1\n"),
            "/etc/shoal/n1.toml: sink #1: 'truncate' must be true or false, "
            "not an integer");
  EXPECT_EQ(error_of("[[sink]]\nkind = \"tcp\"\nlisten = \"h:1\"\n"
                     "truncate = true\n"),
            "/etc/shoal/n1.toml: sink #1: unknown key 'truncate' for kind "
            "'tcp' (allowed: kind listen)");
}

TEST(IoConfig, MqttSourceQosAndSession) {
  auto cfg = parse("[[source]]\nkind = \"mqtt\"\nurl = \"mqtt://h\"\n"
                   "topic = \"t\"\n"
                   "[[source]]\nkind = \"mqtt\"\nurl = \"mqtt://h\"\n"
                   "topic = \"t\"\nqos = 0\nsession = \"clean\"\n"
                   "[[source]]\nkind = \"mqtt\"\nurl = \"mqtt://h\"\n"
                   "topic = \"t\"\nsession = \"persistent\"\n"
                   "[[sink]]\nkind = \"mqtt\"\nurl = \"mqtt://h\"\n");
  ASSERT_TRUE(cfg) << describe(cfg.error());
  ASSERT_EQ(cfg->sources.size(), 3u);
  EXPECT_EQ(cfg->sinks[0].qos, 1);
  EXPECT_EQ(cfg->sources[0].qos, 1);
  EXPECT_EQ(cfg->sources[0].session, mqtt_session::persistent);
  EXPECT_EQ(cfg->sources[1].qos, 0);
  EXPECT_EQ(cfg->sources[1].session, mqtt_session::clean);
  EXPECT_EQ(cfg->sources[2].session, mqtt_session::persistent);
  EXPECT_EQ(error_of("[[source]]\nkind = \"mqtt\"\nurl = \"mqtt://h\"\n"
                     "topic = \"t\"\nsession = \"durable\"\n"),
            "/etc/shoal/n1.toml: source #1: 'session' must be \"persistent\" "
            "or \"clean\", not 'durable'");
  EXPECT_EQ(error_of("[[source]]\nkind = \"mqtt\"\nurl = \"mqtt://h\"\n"
                     "topic = \"t\"\nsession = true\n"),
            "/etc/shoal/n1.toml: source #1: 'session' must be a string, not a "
            "boolean");
  EXPECT_EQ(error_of("[[source]]\nkind = \"mqtt\"\nurl = \"mqtt://h\"\n"
                     "topic = \"t\"\nsession = \"\"\n"),
            "/etc/shoal/n1.toml: source #1: 'session' must not be empty");
  EXPECT_EQ(error_of("[[source]]\nkind = \"mqtt\"\nurl = \"mqtt://h\"\n"
                     "topic = \"t\"\nqos = -1\n"),
            "/etc/shoal/n1.toml: source #1: 'qos' must be between 0 and 1, "
            "not -1");
  EXPECT_EQ(error_of("[[source]]\nkind = \"tcp\"\nlisten = \"127.0.0.1:0\"\n"
                     "session = \"clean\"\n"),
            "/etc/shoal/n1.toml: source #1: unknown key 'session' for kind "
            "'tcp' (allowed: kind listen allowed_lateness_ns)");
  EXPECT_EQ(error_of("[[sink]]\nkind = \"mqtt\"\nurl = \"mqtt://h\"\n"
                     "session = \"clean\"\n"),
            "/etc/shoal/n1.toml: sink #1: unknown key 'session' for kind "
            "'mqtt' (allowed: kind url topic_prefix qos queue)");
}
