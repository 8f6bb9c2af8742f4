// `shoal-node --replay influxdb://...` against a real influxd: the same
// outputs and counts as the replay of the CSV whose points were written to
// InfluxDB, and clear errors (exit 2) for bad URLs and databases.

#include <gtest/gtest.h>

#include "tests/support/influxd_server.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal::test_support;

namespace {

const char* graph_text = R"(
[[sensor]]
name = "a"
[[sensor]]
name = "b"
[[feature]]
name = "a.mean"
fn = "rolling_mean"
needs = ["a"]
window = 3
emit = true
[[feature]]
name = "b.ewma"
fn = "ewma"
needs = ["b"]
alpha = 0.3
[[model]]
name = "m"
kind = "linear"
needs = ["a.mean", "b.ewma"]
weights = [1.0, -0.5]
emit = true
)";

std::string url_of(const influxd_server& db, const std::string& name) {
  return "'influxdb://127.0.0.1:" + std::to_string(db.port()) + "/" + name
         + "?measurement=raw&start=1970-01-01T00:00:00Z&end=1970-01-02T00:00:"
           "00Z'";
}

/// The summary's "samples:" line.
std::string samples_line(const std::string& output) {
  auto at = output.find("samples:");
  return at == std::string::npos
           ? ""
           : output.substr(at, output.find('\n', at) - at);
}

} // namespace

TEST(ShoalNodeInfluxReplay, GivesTheOutputsOfTheSameCsv) {
  influxd_server db;
  ASSERT_TRUE(db.running());
  db.query("CREATE DATABASE plant");
  auto csv = ordered_samples({"a", "b"}, 25'000, 42);
  ASSERT_TRUE(db.write_csv("plant", "raw", csv));
  auto graph = write_temp_file("influx_graph.toml", graph_text);
  auto input = write_temp_file("influx_in.csv", csv);
  auto csv_out = write_temp_file("influx_csv_out.csv", "");
  auto influx_out = write_temp_file("influx_db_out.csv", "");
  auto node = binary("shoal-node") + " --graph " + graph;
  auto from_csv
    = run_command(node + " --replay " + input + " --out " + csv_out);
  ASSERT_EQ(from_csv.exit_code, 0) << from_csv.output;
  auto from_db = run_command(node + " --replay " + url_of(db, "plant")
                             + " --out " + influx_out);
  ASSERT_EQ(from_db.exit_code, 0) << from_db.output;
  auto want = sorted_lines(read_file(csv_out));
  EXPECT_GT(want.size(), 10'000u);
  EXPECT_TRUE(sorted_lines(read_file(influx_out)) == want);
  EXPECT_EQ(samples_line(from_db.output), samples_line(from_csv.output));
  EXPECT_NE(samples_line(from_db.output).find("unknown_sensor 610"),
            std::string::npos)
    << from_db.output;
}

TEST(ShoalNodeInfluxReplay, BadUrlsAndDatabasesExitTwo) {
  influxd_server db;
  ASSERT_TRUE(db.running());
  auto graph = write_temp_file("influx_graph_bad.toml", graph_text);
  auto out = write_temp_file("influx_bad_out.csv", "");
  auto node = binary("shoal-node") + " --graph " + graph + " --out " + out
              + " --replay ";
  auto res = run_command(node + "'influxdb://127.0.0.1/plant?start=x'");
  EXPECT_EQ(res.exit_code, 2);
  EXPECT_NE(res.output.find("missing parameter 'measurement'"),
            std::string::npos)
    << res.output;
  res = run_command(node + url_of(db, "nope"));
  EXPECT_EQ(res.exit_code, 2);
  EXPECT_NE(res.output.find(": InfluxDB: database not found: nope"),
            std::string::npos)
    << res.output;
}
