// The status page in a real headless browser (Debian's chromium): it
// loads, fetches /status, draws the members and the graph (one box per node,
// or boxes per name prefix for big graphs) and writes nothing to the
// console. Chromium must be installed: without it these tests fail.

#include <gtest/gtest.h>

#include "tests/support/headless_browser.hpp"
#include "tests/support/sample_status.hpp"
#include "tests/support/status_page_fixture.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal;
using namespace shoal::test_support;

TEST(HeadlessBrowser, IsInstalled) {
  EXPECT_NE(find_chromium(), "")
    << "the status page tests need Debian's chromium: apt-get install "
       "chromium (scripts/common.sh installs it)";
}

TEST(HeadlessBrowser, DetectorFindsConsoleOutputInACannedLog) {
  std::string log
    = "[1:1:1121/150905.272544:ERROR:dbus/bus.cc:405] Failed to connect\n"
      "[1:1:1121/150906.323363:INFO:CONSOLE:1] \"oops\", source: x (1)\n"
      "[1:1:1121/150906.323363:INFO:CONSOLE(7)] \"Uncaught TypeError: x\"\n";
  EXPECT_EQ(console_problems(log).size(), 2u);
  EXPECT_TRUE(
    console_problems("[1:1:0:ERROR:dbus/bus.cc:405] no bus\n").empty());
}

TEST(HeadlessBrowser, DetectorFindsABrokenPage) {
  temp_file throws{
    "throws.html",
    "<!DOCTYPE html><html><body><p>x</p><script>"
    "setTimeout(() => { null.draw(); }, 10);</script></body></html>"};
  auto page = load_page("file://" + throws.path, 1000);
  ASSERT_EQ(page.error, "");
  auto problems = console_problems(page.log);
  ASSERT_EQ(problems.size(), 1u) << page.log;
  EXPECT_NE(problems[0].find("Uncaught TypeError"), std::string::npos);
  temp_file logs{"logs.html",
                 "<!DOCTYPE html><html><body><script>"
                 "console.error('bad status');</script></body></html>"};
  page = load_page("file://" + logs.path, 1000);
  ASSERT_EQ(page.error, "");
  EXPECT_EQ(console_problems(page.log).size(), 1u) << page.log;
  temp_file quiet{"quiet.html", "<!DOCTYPE html><html><body><script>"
                                "document.body.textContent = 'drawn';"
                                "</script></body></html>"};
  page = load_page("file://" + quiet.path, 1000);
  ASSERT_EQ(page.error, "");
  EXPECT_TRUE(console_problems(page.log).empty()) << page.log;
  EXPECT_NE(page.dom.find("drawn"), std::string::npos);
}

TEST_F(StatusPage, ShowsMembersTablesAndOneBoxPerNode) {
  load(sample_status(2, 20));
  auto members = element(dom_, "<table id=\"members\">", "</table>");
  EXPECT_NE(members.find("<td>m0</td>"), std::string::npos) << members;
  EXPECT_NE(members.find("<td>m1</td>"), std::string::npos) << members;
  EXPECT_NE(members.find("10.0.0.2:4242"), std::string::npos);
  auto graph = element(dom_, "<svg id=\"graph\"", "</svg>");
  EXPECT_EQ(count_of(graph, "data-node=\""), 20u);
  EXPECT_EQ(count_of(graph, "data-group=\""), 0u);
  EXPECT_NE(graph.find("data-node=\"plant.a0.u1.model\""), std::string::npos);
  // 2 units: 8 feature inputs and 4 model inputs each.
  EXPECT_EQ(count_of(graph, "<path "), 24u);
  EXPECT_NE(dom_.find("20 nodes, 24 edges"), std::string::npos);
  auto failing = element(dom_, "<table id=\"failing\">", "</table>");
  EXPECT_NE(failing.find("plant.a0.u0.model"), std::string::npos) << failing;
  EXPECT_NE(failing.find("attempt to index a nil value"), std::string::npos);
  auto slowest = element(dom_, "<table id=\"slowest\">", "</table>");
  EXPECT_NE(slowest.find("plant.a0.u1.model"), std::string::npos) << slowest;
  auto samples = element(dom_, "<table id=\"samples\">", "</table>");
  EXPECT_NE(samples.find("rejected: malformed"), std::string::npos);
  EXPECT_NE(dom_.find("tcp source"), std::string::npos);
}

TEST_F(StatusPage, AggregatesABigGraphByPrefix) {
  load(sample_status(3, 2000));
  auto graph = element(dom_, "<svg id=\"graph\"", "</svg>");
  EXPECT_EQ(count_of(graph, "data-node=\""), 0u);
  // 200 units of 10 nodes: one box per unit prefix.
  EXPECT_EQ(count_of(graph, "data-group=\""), 200u);
  EXPECT_NE(graph.find("data-group=\"plant.a3.u49\""), std::string::npos);
  EXPECT_NE(dom_.find("2000 nodes in 200 groups"), std::string::npos);
}

TEST_F(StatusPage, DrawsEdgesBetweenGroups) {
  // The model of every unit also reads a feature of the first unit of its
  // block of ten: 180 edges from 20 leading units to the 180 others.
  auto model = sample_status(3, 2000);
  for (size_t unit = 0; unit < 200; ++unit)
    if (unit % 10 != 0)
      model.nodes[unit * 10 + 9].needs.push_back(
        model.nodes[(unit / 10) * 10 * 10 + 5].name);
  load(std::move(model));
  auto graph = element(dom_, "<svg id=\"graph\"", "</svg>");
  EXPECT_EQ(count_of(graph, "data-group=\""), 200u);
  EXPECT_EQ(count_of(graph, "<path "), 180u);
  EXPECT_NE(dom_.find("2000 nodes in 200 groups by name prefix, 180 edges "
                      "between groups"),
            std::string::npos);
}

TEST_F(StatusPage, HandlesAHundredThousandNodes) {
  load(sample_status(4, 100'000));
  auto graph = element(dom_, "<svg id=\"graph\"", "</svg>");
  // 10,000 units in 200 areas: one box per area.
  EXPECT_EQ(count_of(graph, "data-group=\""), 200u);
  EXPECT_NE(dom_.find("100000 nodes in 200 groups"), std::string::npos);
}

TEST_F(StatusPage, HandlesAnEmptySystem) {
  load(status_model{});
  EXPECT_NE(dom_.find("no members"), std::string::npos);
  EXPECT_NE(dom_.find("no graph deployed"), std::string::npos);
  EXPECT_EQ(count_of(dom_, "data-node=\""), 0u);
}

TEST_F(StatusPage, HandlesOneNode) {
  load(sample_status(1, 1));
  auto graph = element(dom_, "<svg id=\"graph\"", "</svg>");
  EXPECT_EQ(count_of(graph, "data-node=\""), 1u);
  EXPECT_NE(dom_.find("1 node, 0 edges"), std::string::npos);
}
