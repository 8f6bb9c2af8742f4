// The pure parts of the InfluxDB sink and replay source: replay URLs and
// RFC 3339 times, line protocol, the answers of /query, the sink's keys.

#include <gtest/gtest.h>
#include <toml++/toml.h>

#include "runtime/core/errc.hpp"
#include "runtime/io/influx_bytes.hpp"
#include "runtime/io/influx_query.hpp"
#include "runtime/io/influx_url.hpp"
#include "runtime/io/io_config.hpp"
#include "runtime/io/line_protocol.hpp"

using namespace shoal;

namespace {

constexpr const char* good_url
  = "influxdb://127.0.0.1:9999/plant?measurement=raw&start=2026-01-01T00:00:"
    "00Z&end=2026-01-02T00:00:00Z";

std::string url_error(const std::string& text) {
  auto url = parse_influx_url(text);
  return url ? std::string{"no error"} : describe(url.error());
}

influx_url test_url() {
  return *parse_influx_url(good_url);
}

std::string answer_error(unsigned status, const std::string& body) {
  auto points = parse_influx_answer(test_url(), status, body);
  return points ? std::string{"no error"} : describe(points.error());
}

} // namespace

TEST(InfluxUrl, ReadsEveryPart) {
  auto url = parse_influx_url(good_url);
  ASSERT_TRUE(url) << describe(url.error());
  EXPECT_EQ(url->server.host, "127.0.0.1");
  EXPECT_EQ(url->server.port, 9999);
  EXPECT_EQ(url->database, "plant");
  EXPECT_EQ(url->measurement, "raw");
  EXPECT_EQ(url->start_ns, int64_t{1767225600} * 1'000'000'000);
  EXPECT_EQ(url->end_ns, int64_t{1767312000} * 1'000'000'000);
  // The default port, percent-encoding and an offset written as it is.
  url = parse_influx_url("influxdb://db.example/my%20db?measurement=a%2Cb&"
                         "start=2026-01-01T02:00:00.5+02:00&"
                         "end=2026-01-01T00:00:01Z");
  ASSERT_TRUE(url) << describe(url.error());
  EXPECT_EQ(url->server.port, 8086);
  EXPECT_EQ(url->database, "my db");
  EXPECT_EQ(url->measurement, "a,b");
  EXPECT_EQ(url->start_ns, int64_t{1767225600} * 1'000'000'000 + 500'000'000);
}

TEST(InfluxUrl, SaysWhatIsWrong) {
  EXPECT_EQ(url_error("http://h/db?measurement=m"),
            "'http://h/db?measurement=m': is not an InfluxDB URL "
            "(influxdb://HOST[:PORT]/DB?measurement=M&start=RFC3339&end="
            "RFC3339)");
  EXPECT_NE(url_error("influxdb://h?measurement=m").find("names no database"),
            std::string::npos);
  EXPECT_EQ(url_error("influxdb://h/db?start=2026-01-01T00:00:00Z&"
                      "end=2026-01-02T00:00:00Z"),
            "'influxdb://h/db?start=2026-01-01T00:00:00Z&end=2026-01-02T00:00:"
            "00Z': missing parameter 'measurement'");
  EXPECT_NE(url_error("influxdb://h/db?measurement=m&end=2026-01-02T00:00:00Z")
              .find("missing parameter 'start' (RFC 3339)"),
            std::string::npos);
  EXPECT_NE(url_error("influxdb://h/db?measurement=m&start=yesterday&"
                      "end=2026-01-02T00:00:00Z")
              .find("'start' is not an RFC 3339 time: 'yesterday'"),
            std::string::npos);
  EXPECT_NE(url_error("influxdb://h/db?measurement=m&start=2026-01-02T00:00:"
                      "00Z&end=2026-01-02T00:00:00Z")
              .find("'start' (2026-01-02T00:00:00Z) must be before 'end' "
                    "(2026-01-02T00:00:00Z)"),
            std::string::npos);
  EXPECT_NE(
    url_error("influxdb://h/db?measurement=m&limit=3")
      .find("unknown parameter 'limit' (known: measurement, start, end)"),
    std::string::npos);
  EXPECT_NE(
    url_error("influxdb://h:99999/db?measurement=m").find("no valid port"),
    std::string::npos);
  EXPECT_TRUE(is_influx_url(good_url));
  EXPECT_FALSE(is_influx_url("/tmp/in.csv"));
}

TEST(InfluxUrl, ReadsRfc3339Times) {
  int64_t ns = 0;
  ASSERT_TRUE(parse_rfc3339("1970-01-01T00:00:00Z", ns));
  EXPECT_EQ(ns, 0);
  ASSERT_TRUE(parse_rfc3339("1969-12-31T23:59:59.999999999Z", ns));
  EXPECT_EQ(ns, -1);
  ASSERT_TRUE(parse_rfc3339("2024-02-29t12:00:00.123z", ns));
  EXPECT_EQ(ns, int64_t{1709208000} * 1'000'000'000 + 123'000'000);
  ASSERT_TRUE(parse_rfc3339("2026-01-01T00:00:00-01:30", ns));
  EXPECT_EQ(ns, (int64_t{1767225600} + 5400) * 1'000'000'000);
  for (auto bad : {"2026-01-01", "2026-01-01T00:00:00", "2026-13-01T00:00:00Z",
                   "2025-02-29T00:00:00Z", "2026-01-01T24:00:00Z",
                   "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00Zjunk",
                   "2300-01-01T00:00:00Z", "2026-01-01 00:00:00Z"})
    EXPECT_FALSE(parse_rfc3339(bad, ns)) << bad;
}

TEST(InfluxLineProtocol, EscapesAndPrintsExactValues) {
  std::string out;
  auto prefix = line_prefix("my shoal,x", "pump 1,a=b");
  EXPECT_EQ(prefix, "my\\ shoal\\,x,node=pump\\ 1\\,a\\=b value=");
  ASSERT_TRUE(append_line(out, line_prefix("shoal", "p1.temp"), 42, 0.1));
  ASSERT_TRUE(append_line(out, line_prefix("shoal", "p1.temp"), -5, 3.0));
  ASSERT_TRUE(append_line(out, line_prefix("shoal", "p1.temp"), 7, 1e300));
  EXPECT_EQ(out, "shoal,node=p1.temp value=0.1 42\n"
                 "shoal,node=p1.temp value=3 -5\n"
                 "shoal,node=p1.temp value=1e+300 7\n");
  EXPECT_FALSE(
    append_line(out, prefix, 1, std::numeric_limits<double>::quiet_NaN()));
  EXPECT_FALSE(
    append_line(out, prefix, 1, std::numeric_limits<double>::infinity()));
  EXPECT_EQ(escape_tag("a\nb"), "a\\ b");
}

TEST(InfluxAnswer, ReadsPointsInOrder) {
  auto points = parse_influx_answer(
    test_url(), 200,
    R"({"results":[{"statement_id":0,"series":[{"name":"raw","columns":)"
    R"(["time","value","sensor"],"values":[[5,1.5,"a"],[6,2,"b"],)"
    R"([7,"text","a"],[8,3,null]]}]}]})");
  ASSERT_TRUE(points) << describe(points.error());
  ASSERT_EQ(points->size(), 4u);
  EXPECT_EQ((*points)[0].sensor, "a");
  EXPECT_EQ((*points)[0].ts, 5);
  EXPECT_EQ((*points)[0].value, 1.5);
  EXPECT_TRUE((*points)[1].usable);
  EXPECT_EQ((*points)[1].value, 2.0);
  EXPECT_FALSE((*points)[2].usable);
  EXPECT_FALSE((*points)[3].usable);
  // Nothing in the range: a result without series.
  points = parse_influx_answer(test_url(), 200,
                               R"({"results":[{"statement_id":0}]})");
  ASSERT_TRUE(points);
  EXPECT_TRUE(points->empty());
}

TEST(InfluxAnswer, NamesTheUrlAndWhatWasWrong) {
  auto prefix = std::string{good_url} + ": ";
  EXPECT_EQ(answer_error(502, "<html>bad gateway</html>"),
            prefix
              + "InfluxDB answered 502 with no JSON object: "
                "'<html>bad gateway</html>'");
  EXPECT_EQ(answer_error(401, R"({"error":"authorization failed"})"),
            prefix + "InfluxDB answered 401: authorization failed");
  EXPECT_EQ(answer_error(200, R"({"results":[{"statement_id":0,)"
                              R"("error":"database not found: plant"}]})"),
            prefix + "InfluxDB: database not found: plant");
  EXPECT_EQ(answer_error(200, R"({"results":[]})"),
            prefix + "the answer has no single result");
  EXPECT_EQ(answer_error(200, R"({"results":[{"series":[{"columns":["time",)"
                              R"("value"],"values":[]}]}]})"),
            prefix
              + "the series lacks a column time, value or sensor: "
                R"(["time","value"])");
  EXPECT_EQ(answer_error(200,
                         R"({"results":[{"series":[{"columns":["time",)"
                         R"("value","sensor"],"values":[["2026",1,"a"]]}]}]})"),
            prefix + R"(a time is not an integer (ns): "2026")");
  EXPECT_EQ(answer_error(200, R"({"results":[{"series":[{"columns":["time",)"
                              R"("value","sensor"],"values":[[1,1]]}]}]})"),
            prefix + "a row does not match the columns: [1,1]");
}

TEST(InfluxBytes, WritesPointsAsInputRows) {
  std::string out;
  influx_bytes::append_row(out, influx_point{"p1.temp", 10, 0.1, true});
  influx_bytes::append_row(out, influx_point{"a,b c", 11, 2, true});
  influx_bytes::append_row(out, influx_point{"p1.temp", 12, 0, false});
  influx_bytes::append_row(out, influx_point{"", 13, 0, false});
  EXPECT_EQ(out, "p1.temp,10,0.10000000000000001\n"
                 "a?b?c,11,2\n"
                 "p1.temp,12,\n"
                 "?,13,\n");
}

TEST(InfluxSinkConfig, ReadsKeysWithDefaults) {
  auto tbl = toml::parse(R"(
[[sink]]
kind = "influxdb"
url = "http://127.0.0.1:8087"
database = "plant"

[[sink]]
kind = "influxdb"
url = "http://influx.example"
database = "plant"
measurement = "pumps"
buffer = 500
)");
  auto cfg = parse_io_config(tbl, "/etc/shoal/n1.toml");
  ASSERT_TRUE(cfg) << describe(cfg.error());
  ASSERT_EQ(cfg->sinks.size(), 2u);
  EXPECT_EQ(cfg->sinks[0].kind, sink_kind::influxdb);
  EXPECT_EQ(cfg->sinks[0].server.to_string(), "127.0.0.1:8087");
  EXPECT_EQ(cfg->sinks[0].database, "plant");
  EXPECT_EQ(cfg->sinks[0].measurement, "shoal");
  EXPECT_EQ(cfg->sinks[0].buffer, 100'000u);
  EXPECT_EQ(cfg->sinks[1].server.to_string(), "influx.example:8086");
  EXPECT_EQ(cfg->sinks[1].measurement, "pumps");
  EXPECT_EQ(cfg->sinks[1].buffer, 500u);
  auto error_of = [](const std::string& text) {
    auto t = toml::parse(text);
    auto c = parse_io_config(t, "/etc/shoal/n1.toml");
    return c ? std::string{"no error"} : describe(c.error());
  };
  EXPECT_EQ(error_of("[[sink]]\nkind = \"influxdb\"\nurl = \"http://h\"\n"),
            "/etc/shoal/n1.toml: sink #1: missing required key 'database'");
  EXPECT_EQ(error_of("[[sink]]\nkind = \"influxdb\"\nurl = \"https://h\"\n"
                     "database = \"d\"\n"),
            "/etc/shoal/n1.toml: sink #1: 'url': 'https://h' is not an "
            "http://host[:port] URL");
  EXPECT_EQ(error_of("[[sink]]\nkind = \"influxdb\"\nurl = \"http://h\"\n"
                     "database = \"d\"\nbuffer = 0\n"),
            "/etc/shoal/n1.toml: sink #1: 'buffer' must be between 1 and "
            "100000000, not 0");
}
