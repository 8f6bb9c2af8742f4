// /metrics: every metric and label of docs/http.md, values that match the
// model, and the text exposition format 0.0.4 checked line by line by a
// small parser (names, labels and their escapes, values, HELP and TYPE
// before each family's samples, histogram buckets cumulative up to +Inf).

#include <cmath>
#include <gtest/gtest.h>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "runtime/http/prometheus.hpp"
#include "tests/support/sample_status.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

using labels = std::map<std::string, std::string>;

struct exposition {
  std::map<std::string, std::string> types;
  std::map<std::pair<std::string, labels>, double> samples;

  double at(const std::string& name, const labels& ls = {}) const {
    auto i = samples.find({name, ls});
    return i == samples.end() ? NAN : i->second;
  }
};

/// Parses `{a="x",b="y"}` from `pos`; returns false on a grammar error.
bool parse_labels(const std::string& line, size_t& pos, labels& out) {
  static const std::regex name{"[a-zA-Z_][a-zA-Z0-9_]*"};
  ++pos;
  while (pos < line.size() && line[pos] != '}') {
    auto eq = line.find("=\"", pos);
    if (eq == std::string::npos
        || !std::regex_match(line.substr(pos, eq - pos), name))
      return false;
    auto key = line.substr(pos, eq - pos);
    std::string value;
    for (pos = eq + 2; pos < line.size() && line[pos] != '"'; ++pos) {
      if (line[pos] != '\\') {
        value += line[pos];
        continue;
      }
      if (++pos == line.size())
        return false;
      if (line[pos] == 'n')
        value += '\n';
      else if (line[pos] == '\\' || line[pos] == '"')
        value += line[pos];
      else
        return false;
    }
    if (pos == line.size() || !out.emplace(key, value).second)
      return false;
    ++pos;
    if (pos < line.size() && line[pos] == ',')
      ++pos;
  }
  if (pos == line.size())
    return false;
  ++pos;
  return true;
}

/// The family a sample name belongs to (histograms: without the suffix).
std::string family_of(const std::string& name, const exposition& e) {
  for (auto suffix : {"_bucket", "_sum", "_count"}) {
    auto n = std::string{suffix}.size();
    if (name.size() > n && name.compare(name.size() - n, n, suffix) == 0) {
      auto base = name.substr(0, name.size() - n);
      auto i = e.types.find(base);
      if (i != e.types.end() && i->second == "histogram")
        return base;
    }
  }
  return name;
}

/// Parses the whole text; fails the test at the first bad line.
exposition parse(const std::string& text) {
  static const std::regex help{"# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+"};
  static const std::regex type{
    "# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|untyped)"};
  static const std::regex metric{"[a-zA-Z_:][a-zA-Z0-9_:]*"};
  exposition e;
  std::set<std::string> helped, done;
  std::string current;
  std::istringstream in{text};
  std::string line;
  EXPECT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_match(line, m, help)) {
      EXPECT_TRUE(helped.insert(m[1]).second) << "second HELP: " << line;
      continue;
    }
    if (std::regex_match(line, m, type)) {
      EXPECT_TRUE(e.types.emplace(m[1], m[2]).second) << line;
      EXPECT_EQ(helped.count(m[1]), 1u) << "TYPE before HELP: " << line;
      if (!current.empty())
        done.insert(current);
      current = m[1];
      continue;
    }
    auto end = line.find_first_of("{ ");
    auto name = line.substr(0, end);
    EXPECT_TRUE(std::regex_match(name, metric)) << "bad name: " << line;
    EXPECT_EQ(family_of(name, e), current)
      << "sample outside its family: " << line;
    labels ls;
    size_t pos = end;
    if (pos < line.size() && line[pos] == '{') {
      EXPECT_TRUE(parse_labels(line, pos, ls)) << "bad labels: " << line;
    }
    EXPECT_TRUE(pos < line.size() && line[pos] == ' ') << line;
    auto value = line.substr(pos + 1);
    char* stop = nullptr;
    double v = std::strtod(value.c_str(), &stop);
    EXPECT_TRUE(!value.empty() && *stop == '\0') << "bad value: " << line;
    EXPECT_TRUE(e.samples.emplace(std::make_pair(name, ls), v).second)
      << "duplicate series: " << line;
  }
  EXPECT_EQ(done.count(current), 0u);
  return e;
}

const char* reasons[] = {"accepted",   "malformed", "unknown_sensor",
                         "non_finite", "late",      "out_of_order"};

} // namespace

TEST(Prometheus, EveryMetricAndLabelIsThere) {
  auto model = sample_status(2, 20);
  auto e = parse(render_metrics(model, model.latency));
  EXPECT_EQ(e.types.at("shoal_samples_total"), "counter");
  EXPECT_EQ(e.types.at("shoal_firings_total"), "counter");
  EXPECT_EQ(e.types.at("shoal_outputs_total"), "counter");
  EXPECT_EQ(e.types.at("shoal_errors_total"), "counter");
  EXPECT_EQ(e.types.at("shoal_mailbox_backlog"), "gauge");
  EXPECT_EQ(e.types.at("shoal_nodes"), "gauge");
  EXPECT_EQ(e.types.at("shoal_members"), "gauge");
  EXPECT_EQ(e.types.at("shoal_output_latency_seconds"), "histogram");
  for (std::string member : {"m0", "m1"}) {
    for (auto reason : reasons)
      EXPECT_FALSE(std::isnan(
        e.at("shoal_samples_total", {{"member", member}, {"reason", reason}})))
        << member << " " << reason;
    for (auto name :
         {"shoal_firings_total", "shoal_outputs_total", "shoal_errors_total"})
      for (auto kind : {"feature", "model"})
        EXPECT_FALSE(
          std::isnan(e.at(name, {{"member", member}, {"kind", kind}})))
          << name << " " << member << " " << kind;
    for (auto kind : {"sensor", "feature", "model"})
      EXPECT_FALSE(
        std::isnan(e.at("shoal_nodes", {{"member", member}, {"kind", kind}})));
  }
}

TEST(Prometheus, ValuesMatchTheModel) {
  auto model = sample_status(2, 20);
  auto e = parse(render_metrics(model, model.latency));
  EXPECT_EQ(
    e.at("shoal_samples_total", {{"member", "m0"}, {"reason", "accepted"}}),
    5000);
  EXPECT_EQ(
    e.at("shoal_samples_total", {{"member", "m1"}, {"reason", "malformed"}}),
    3);
  // Unit 0 (nodes 0-9) is on m0, unit 1 on m1; unit 0's model fails.
  EXPECT_EQ(
    e.at("shoal_firings_total", {{"member", "m0"}, {"kind", "feature"}}), 4000);
  EXPECT_EQ(e.at("shoal_errors_total", {{"member", "m0"}, {"kind", "model"}}),
            10);
  EXPECT_EQ(e.at("shoal_errors_total", {{"member", "m1"}, {"kind", "model"}}),
            0);
  EXPECT_EQ(e.at("shoal_outputs_total", {{"member", "m0"}, {"kind", "model"}}),
            990);
  EXPECT_EQ(e.at("shoal_nodes", {{"member", "m1"}, {"kind", "sensor"}}), 5);
  EXPECT_EQ(e.at("shoal_mailbox_backlog", {{"member", "m1"}}), 1);
  EXPECT_EQ(e.at("shoal_members", {{"state", "alive"}}), 2);
  EXPECT_EQ(e.at("shoal_members", {{"state", "down"}}), 0);
  EXPECT_EQ(e.at("shoal_uptime_seconds"), 3725);
}

TEST(Prometheus, LatencyHistogramIsCumulative) {
  auto model = sample_status(1, 10);
  auto e = parse(render_metrics(model, model.latency));
  // Recordings: 10 us, 20 us, ... 10 ms.
  int buckets = 0;
  for (auto& [key, value] : e.samples) {
    if (key.first != "shoal_output_latency_seconds_bucket")
      continue;
    ++buckets;
    if (key.second.at("le") != "+Inf") {
      EXPECT_LE(std::stod(key.second.at("le")), 10.0);
    }
    EXPECT_GE(value, 0);
  }
  EXPECT_EQ(buckets, 17);
  auto le = [&](const char* bound) {
    return e.at("shoal_output_latency_seconds_bucket", {{"le", bound}});
  };
  EXPECT_EQ(le("0.0001"), 9); // 10..90 us; 100 us shares a bucket above it
  EXPECT_GE(le("0.001"), 88); // 100 true, less at most one bucket's 1/8
  EXPECT_LE(le("0.001"), 100);
  EXPECT_EQ(le("0.025"), 1000);
  EXPECT_EQ(le("+Inf"), 1000);
  std::vector<const char*> order
    = {"0.0001", "0.00025", "0.0005", "0.001", "0.0025", "0.005",
       "0.01",   "0.025",   "0.05",   "0.1",   "0.25",   "0.5",
       "1",      "2.5",     "5",      "10",    "+Inf"};
  for (size_t i = 1; i < order.size(); ++i)
    EXPECT_LE(le(order[i - 1]), le(order[i])) << order[i];
  EXPECT_EQ(e.at("shoal_output_latency_seconds_count"), 1000);
  EXPECT_NEAR(e.at("shoal_output_latency_seconds_sum"), 5.005, 5.005 / 16);
}

TEST(Prometheus, EscapesLabelValues) {
  EXPECT_EQ(escape_label_value("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  status_model model;
  member_status m;
  m.name = "odd \"member\"\\\nname";
  model.members.push_back(m);
  node_status n;
  n.name = "x";
  n.kind = node_kind::feature;
  n.member = m.name;
  n.counts.firings = 7;
  model.nodes.push_back(n);
  auto e = parse(render_metrics(model, model.latency));
  EXPECT_EQ(
    e.at("shoal_firings_total", {{"member", m.name}, {"kind", "feature"}}), 7);
}

TEST(Prometheus, EmptyAndUnplaced) {
  status_model model;
  auto e = parse(render_metrics(model, model.latency));
  EXPECT_EQ(e.at("shoal_members", {{"state", "alive"}}), 0);
  EXPECT_EQ(e.at("shoal_output_latency_seconds_count"), 0);
  EXPECT_EQ(e.at("shoal_output_latency_seconds_bucket", {{"le", "+Inf"}}), 0);
  node_status n;
  n.name = "lost";
  n.kind = node_kind::model;
  n.counts.errors = 2;
  model.nodes.push_back(n);
  e = parse(render_metrics(model, model.latency));
  EXPECT_EQ(e.at("shoal_errors_total", {{"member", ""}, {"kind", "model"}}), 2);
}
