// InfluxDB in a cluster of real members (SPEC section 13): `shoalctl
// replay influxdb://...` gives the outputs of the single-node replay of the
// same CSV, and members configured with an influxdb sink write every one of
// those outputs to the database.

#include <chrono>
#include <gtest/gtest.h>
#include <set>
#include <thread>

#include "tests/support/influxd_server.hpp"
#include "tests/support/member_process.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal::test_support;

namespace {

/// Two cells joined by a model, so that both members hold nodes.
const char* graph_text = R"(
[[sensor]]
name = "p1.temp"
[[sensor]]
name = "p2.temp"
[[feature]]
name = "p1.mean"
fn = "rolling_mean"
needs = ["p1.temp"]
window = 4
emit = true
[[feature]]
name = "p2.ewma"
fn = "ewma"
needs = ["p2.temp"]
alpha = 0.3
emit = true
[[model]]
name = "m.join"
kind = "linear"
needs = ["p1.mean", "p2.ewma"]
weights = [0.5, -0.25]
emit = true
)";

/// The (node, ts) pairs of an output CSV: InfluxDB keeps one point each.
size_t distinct_points(const std::vector<std::string>& lines) {
  std::set<std::string> keys;
  for (auto& line : lines)
    if (line != "node,ts,value")
      keys.insert(line.substr(0, line.rfind(',')));
  return keys.size();
}

} // namespace

TEST(ClusterInflux, ReplaysFromInfluxAndSinksEveryOutputToIt) {
  influxd_server db;
  ASSERT_TRUE(db.running());
  db.query("CREATE DATABASE plant");
  db.query("CREATE DATABASE out");
  auto csv = ordered_samples({"p1.temp", "p2.temp"}, 6000, 7);
  ASSERT_TRUE(db.write_csv("plant", "raw", csv));
  auto graph = write_temp_file("cluster_influx_graph.toml", graph_text);
  auto input = write_temp_file("cluster_influx_in.csv", csv);
  auto single_out = write_temp_file("cluster_influx_single.csv", "");
  auto single = run_command(binary("shoal-node") + " --graph " + graph
                            + " --replay " + input + " --out " + single_out);
  ASSERT_EQ(single.exit_code, 0) << single.output;

  auto sink = "[[sink]]\nkind = \"influxdb\"\nurl = \"" + db.url()
              + "\"\ndatabase = \"out\"\nmeasurement = \"pred\"\n";
  std::vector<int> ports{free_loopback_port(), free_loopback_port()};
  member_process n1{write_member_config("n1", ports[0], {ports[0]}, "", sink)};
  member_process n2{write_member_config("n2", ports[1], {ports[0]}, "", sink)};
  await_member_count(ports[0], 2);
  auto res = shoalctl(ports[1], "apply " + graph);
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log() << n2.log();

  auto url = "'influxdb://127.0.0.1:" + std::to_string(db.port())
             + "/plant?measurement=raw&start=1970-01-01T00:00:00Z&end=1970-"
               "01-02T00:00:00Z'";
  auto cluster_out = write_temp_file("cluster_influx_out.csv", "");
  res = shoalctl(ports[0], "replay " + url + " --out " + cluster_out);
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log() << n2.log();
  auto want = sorted_lines(read_file(single_out));
  EXPECT_GT(want.size(), 1000u);
  EXPECT_TRUE(sorted_lines(read_file(cluster_out)) == want);

  // The members' sinks wrote the same outputs, each once.
  auto expected = distinct_points(want);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (db.count("out", "pred") < expected
         && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(db.count("out", "pred"), expected) << n1.log() << n2.log();

  // A bad URL fails with the reason and writes nothing.
  auto bad_out = write_temp_file("cluster_influx_bad.csv", "");
  res = shoalctl(ports[0], "replay 'influxdb://127.0.0.1:1/plant?measurement="
                           "raw&start=2026-01-02T00:00:00Z&end=2026-01-01T00:"
                           "00:00Z' --out "
                             + bad_out);
  EXPECT_NE(res.exit_code, 0);
  EXPECT_NE(res.output.find("must be before 'end'"), std::string::npos)
    << res.output;
}
