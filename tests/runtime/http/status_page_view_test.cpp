// The status page on a big graph, in headless chromium: a graph of 1,000
// nodes made from a template (100 instances of 10 nodes) shows one closed
// group per instance; a search in the address's fragment keeps and opens
// the groups with matches; `open=` opens groups as a click does. Also: the
// member colours are free of red, and the time charts draw the history.

#include <cmath>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <string>
#include <unistd.h>

#include "runtime/core/errc.hpp"
#include "runtime/graph/graph_load.hpp"
#include "runtime/http/status_page.hpp"
#include "tests/support/headless_browser.hpp"
#include "tests/support/sample_status.hpp"
#include "tests/support/status_page_fixture.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

// Ten nodes per pump: four sensors, five features, one model.
constexpr const char* pump_template = R"(
[[template]]
name = "pump"
params = ["id"]
[[template.sensor]]
name = "${id}.temp"
[[template.sensor]]
name = "${id}.vibration"
[[template.sensor]]
name = "${id}.pressure"
[[template.sensor]]
name = "${id}.current"
[[template.feature]]
name = "${id}.vibration.rms1s"
fn = "rolling_mean"
needs = ["${id}.vibration"]
window = 10
[[template.feature]]
name = "${id}.pressure.mean1s"
fn = "rolling_mean"
needs = ["${id}.pressure"]
window = 10
[[template.feature]]
name = "${id}.current.mean2s"
fn = "rolling_mean"
needs = ["${id}.current"]
window = 40
[[template.feature]]
name = "${id}.temp.ewma"
fn = "ewma"
needs = ["${id}.temp"]
alpha = 0.1
[[template.feature]]
name = "${id}.temp.trend"
fn = "rate"
needs = ["${id}.temp.ewma"]
[[template.model]]
name = "${id}.anomaly"
kind = "linear"
needs = ["${id}.vibration.rms1s", "${id}.pressure.mean1s",
         "${id}.current.mean2s", "${id}.temp.ewma", "${id}.temp.trend"]
weights = [0.9, -0.5, 0.1, 0.03, 1.0]
bias = 0.5
[[instances]]
template = "pump"
csv = "pumps.csv"
)";

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream{path} << text;
}

/// A status of `pumps` pumps made from the template, each placed whole on
/// one of three members.
status_model pump_status(const std::filesystem::path& dir, int pumps) {
  std::string csv = "id\n";
  for (int i = 1; i <= pumps; ++i)
    csv += (i < 10 ? "pump0" : "pump") + std::to_string(i) + "\n";
  write_file(dir / "pumps.csv", csv);
  write_file(dir / "plant.toml", pump_template);
  auto g = load_graph((dir / "plant.toml").string());
  EXPECT_TRUE(g) << (g ? "" : describe(g.error()));
  status_model m = sample_status(3, 0);
  if (!g)
    return m;
  for (size_t i = 0; i < g->nodes.size(); ++i) {
    auto& spec = g->nodes[i];
    node_status n;
    n.name = spec.name;
    n.kind = spec.kind;
    n.fn = spec.fn;
    n.needs = spec.needs;
    n.member = m.members[(i / 10) % 3].name;
    m.nodes.push_back(std::move(n));
  }
  return m;
}

class StatusPageView : public StatusPage {
protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path()
           / ("shoal_page_view_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }

  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::string graph() const {
    return element(dom_, "<svg id=\"graph\"", "</svg>");
  }

  std::filesystem::path dir_;
};

/// Whether "#rrggbb" is red or near it: a hue from pinks (320 degrees)
/// through red-oranges such as vermillion (30 degrees), at a saturation
/// (HSL) that shows it; greys and black have no hue.
bool red_like(std::string_view colour) {
  auto channel = [&](size_t at) {
    return std::stoi(std::string{colour.substr(at, 2)}, nullptr, 16) / 255.0;
  };
  double r = channel(1), g = channel(3), b = channel(5);
  double hi = std::max({r, g, b}), lo = std::min({r, g, b}), c = hi - lo;
  if (c == 0)
    return false;
  double sector = hi == r   ? std::fmod((g - b) / c + 6, 6)
                  : hi == g ? (b - r) / c + 2
                            : (r - g) / c + 4;
  double hue = 60 * sector, light = (hi + lo) / 2;
  double saturation = c / (1 - std::abs(2 * light - 1));
  return saturation > 0.1 && (hue < 30 || hue > 320);
}

} // namespace

TEST(StatusPagePalette, NoMemberColourIsRed) {
  ASSERT_GE(member_palette().size(), 6u);
  for (auto colour : member_palette()) {
    ASSERT_EQ(colour.size(), 7u) << colour;
    EXPECT_FALSE(red_like(colour)) << colour;
    EXPECT_NE(status_page_html().find(std::string{"\""} + std::string{colour}),
              std::string::npos)
      << colour << " is not on the page";
  }
  // The checker itself: red, Okabe-Ito's vermillion and reddish purple, and
  // the red of the old palette are caught; orange, blue and grey are not.
  for (auto red : {"#FF0000", "#D55E00", "#CC79A7", "#d62728", "#ff9da7"})
    EXPECT_TRUE(red_like(red)) << red;
  for (auto fine : {"#E69F00", "#0072B2", "#777777", "#000000"})
    EXPECT_FALSE(red_like(fine)) << fine;
}

TEST_F(StatusPageView, AThousandNodesShowAsClosedGroupsPerInstance) {
  load(pump_status(dir_, 100));
  auto svg = graph();
  EXPECT_EQ(count_of(svg, "data-group=\""), 100u);
  EXPECT_EQ(count_of(svg, "data-node=\""), 0u);
  EXPECT_NE(svg.find("data-group=\"pump07\""), std::string::npos);
  EXPECT_NE(dom_.find("1000 nodes in 100 groups by name prefix"),
            std::string::npos);
  EXPECT_NE(dom_.find("id=\"graph-search\""), std::string::npos);
}

TEST_F(StatusPageView, ASearchKeepsAndOpensTheGroupsThatMatch) {
  load(pump_status(dir_, 100), "#q=pump07");
  auto svg = graph();
  EXPECT_EQ(count_of(svg, "data-group=\""), 0u);
  EXPECT_EQ(count_of(svg, "data-node=\""), 10u);
  EXPECT_EQ(count_of(svg, "data-in-group=\"pump07\""), 10u);
  EXPECT_NE(svg.find("data-node=\"pump07.anomaly\""), std::string::npos);
  EXPECT_EQ(count_of(svg, "class=\"node match\""), 10u);
  EXPECT_NE(dom_.find("10 nodes match in 1 group"), std::string::npos);
}

TEST_F(StatusPageView, AGlobSearchMarksTheMatchesInTheOpenedGroups) {
  load(pump_status(dir_, 100), "#q=pump1%3F.temp");
  auto svg = graph();
  // pump10 to pump19, ten nodes each; only their temp sensor matches.
  EXPECT_EQ(count_of(svg, "data-node=\""), 100u);
  EXPECT_EQ(count_of(svg, "class=\"node match\""), 10u);
  EXPECT_EQ(count_of(svg, "class=\"node dim\""), 90u);
  EXPECT_NE(svg.find("data-node=\"pump13.temp\""), std::string::npos);
  EXPECT_NE(dom_.find("10 nodes match in 10 groups"), std::string::npos);
}

TEST_F(StatusPageView, OpenGroupsShowTheirNodesAmongTheOthers) {
  load(pump_status(dir_, 100), "#open=pump03&open=pump42");
  auto svg = graph();
  EXPECT_EQ(count_of(svg, "data-group=\""), 98u);
  EXPECT_EQ(count_of(svg, "data-in-group=\"pump03\""), 10u);
  EXPECT_EQ(count_of(svg, "data-in-group=\"pump42\""), 10u);
  EXPECT_NE(dom_.find("1000 nodes in 100 groups by name prefix, 2 open"),
            std::string::npos);
}

TEST_F(StatusPageView, ChartsDrawTheHistory) {
  auto model = sample_status(2, 20);
  for (int i = 0; i < 30; ++i) {
    status_point p;
    p.unix_ms = 1'700'000'000'000 + 1000 * i;
    p.samples_per_s = 4000 + 10 * i;
    p.outputs_per_s = 700;
    // A gap without outputs in the middle.
    if (i < 10 || i > 12) {
      p.p50_ns = 100'000'000;
      p.p99_ns = 170'000'000 + 1'000'000 * i;
    }
    model.history.push_back(p);
  }
  load(std::move(model));
  auto charts = element(dom_, "<div id=\"charts\"", "</section>");
  EXPECT_EQ(count_of(charts, "data-chart=\""), 3u);
  // One line for samples/s and outputs/s; p50 and p99 broken by the gap.
  EXPECT_EQ(count_of(charts, "<path "), 4u);
  EXPECT_EQ(count_of(charts, " M"), 2u);
  EXPECT_NE(charts.find("p99 199.00 ms"), std::string::npos) << charts;
  EXPECT_NE(charts.find("last 0m 29s"), std::string::npos);
}

TEST_F(StatusPageView, ChartsWaitForTwoPoints) {
  load(sample_status(1, 1));
  auto charts = element(dom_, "<div id=\"charts\"", "</section>");
  EXPECT_EQ(count_of(charts, "collecting"), 3u);
}

TEST_F(StatusPageView, SourcesShowTheirLagAndBacklog) {
  auto model = sample_status(1, 1);
  source_status live;
  live.name = "mqtt #1 mqtt://127.0.0.1:1883 plant/#";
  live.lag_ns = 101'000'000;
  live.queued = 1200;
  live.refused = 7;
  live.full = true;
  model.sources.push_back(live);
  source_status ended;
  ended.name = "tcp #2 127.0.0.1:7790";
  model.sources.push_back(ended);
  load(std::move(model));
  auto table = element(dom_, "<table id=\"sources\">", "</table>");
  EXPECT_NE(table.find("<td>mqtt #1 mqtt://127.0.0.1:1883 plant/#</td>"),
            std::string::npos)
    << table;
  EXPECT_NE(table.find("101.00 ms"), std::string::npos) << table;
  EXPECT_NE(table.find("1,200"), std::string::npos) << table;
  EXPECT_NE(table.find("<td class=\"warn\">full</td>"), std::string::npos);
  EXPECT_NE(table.find("<td>taking</td>"), std::string::npos);
  EXPECT_NE(table.find("<td>tcp #2 127.0.0.1:7790</td>"), std::string::npos);
}

TEST_F(StatusPageView, AMemberWithoutSourcesSaysSo) {
  load(sample_status(1, 1));
  EXPECT_NE(dom_.find("no live sources on this member"), std::string::npos);
}
