// The InfluxDB sink against a real influxd
// (tests/support/influxd_server.hpp): every output written, nothing lost
// while the database restarts or before it exists, drops counted when the
// buffer overflows or InfluxDB refuses a batch, and the queries of the
// Grafana recipe (docs/io.md) over what it wrote.

#include <chrono>
#include <gtest/gtest.h>
#include <limits>
#include <thread>

#include "runtime/core/errc.hpp"
#include "runtime/io/influx_sink.hpp"
#include "tests/support/influxd_server.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

/// Waits up to 60 s for `pred`.
template <class Pred>
bool eventually(Pred pred) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred())
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return pred();
}

sink_spec sink_for(const influxd_server& db, uint64_t buffer) {
  sink_spec spec;
  spec.kind = sink_kind::influxdb;
  spec.server = net_address{"127.0.0.1", db.port()};
  spec.database = "out";
  spec.buffer = buffer;
  return spec;
}

/// Short back-off and deadlines, so that a restart is noticed soon.
influx_sink::options quick() {
  influx_sink::options opts;
  opts.backoff_min = std::chrono::milliseconds(20);
  opts.backoff_max = std::chrono::milliseconds(200);
  opts.timeout = std::chrono::milliseconds(2000);
  return opts;
}

class InfluxSink : public testing::Test {
protected:
  void SetUp() override {
    ASSERT_TRUE(db.running()) << "influxd did not start";
    db.query("CREATE DATABASE out");
  }

  influxd_server db;
};

} // namespace

TEST_F(InfluxSink, WritesEveryOutput) {
  auto sink = influx_sink::start(sink_for(db, 100'000), quick());
  ASSERT_TRUE(sink) << describe(sink.error());
  // It tells whether the database answers before any output.
  EXPECT_TRUE(eventually([&] {
    return (*sink)->status().connected;
  }));
  // More than two batches, over many nodes.
  constexpr uint64_t n = 12'345;
  for (uint64_t i = 0; i < n; ++i)
    (*sink)->write("node." + std::to_string(i % 17),
                   point{static_cast<int64_t>(i), i * 0.5});
  (*sink)->flush();
  EXPECT_TRUE(eventually([&] {
    return (*sink)->written() == n;
  }))
    << (*sink)->status().last_error;
  EXPECT_EQ(db.count("out", "shoal"), n);
  EXPECT_EQ((*sink)->dropped(), 0u);
  auto st = (*sink)->status();
  EXPECT_EQ(st.kind, "influxdb sink");
  EXPECT_TRUE(st.connected);
  EXPECT_EQ(st.messages, n);
  // A value reads back exactly, tagged with its node.
  auto res = db.query("SELECT value FROM shoal WHERE node = 'node.3' AND "
                      "time = 3",
                      "out");
  EXPECT_EQ(res["results"][0]["series"][0]["values"][0][1].get<double>(), 1.5)
    << res.dump();
}

TEST_F(InfluxSink, LosesNothingThatFitsWhileTheDatabaseRestarts) {
  auto sink = influx_sink::start(sink_for(db, 100'000), quick());
  ASSERT_TRUE(sink);
  int64_t ts = 0;
  auto emit = [&](int count) {
    for (int i = 0; i < count; ++i, ++ts)
      (*sink)->write("m", point{ts, static_cast<double>(ts)});
  };
  emit(3000);
  ASSERT_TRUE(eventually([&] {
    return (*sink)->written() == 3000;
  }));
  db.stop();
  emit(4000);
  // The writer fails against the stopped database and keeps the points.
  EXPECT_TRUE(eventually([&] {
    return !(*sink)->status().last_error.empty()
           && !(*sink)->status().connected;
  }));
  emit(2000);
  ASSERT_TRUE(db.start());
  emit(1000);
  EXPECT_TRUE(eventually([&] {
    return (*sink)->written() == 10'000;
  }))
    << (*sink)->status().last_error;
  EXPECT_EQ((*sink)->dropped(), 0u);
  EXPECT_EQ(db.count("out", "shoal"), 10'000u);
}

TEST_F(InfluxSink, CountsDropsWhenTheBufferOverflows) {
  db.stop();
  auto sink = influx_sink::start(sink_for(db, 100), quick());
  ASSERT_TRUE(sink);
  // The database is away: the buffer keeps the first 100 points, the writer
  // holds them until they are written, and the rest is dropped.
  for (int64_t i = 0; i < 250; ++i)
    (*sink)->write("m", point{i, 1.0});
  (*sink)->write("m", point{250, std::numeric_limits<double>::quiet_NaN()});
  EXPECT_EQ((*sink)->dropped(), 151u);
  EXPECT_EQ((*sink)->buffered(), 100u);
  EXPECT_EQ((*sink)->status().dropped, 151u);
  EXPECT_TRUE(eventually([&] {
    return (*sink)->status().last_error.find(": cannot connect: ")
           != std::string::npos;
  }))
    << (*sink)->status().last_error;
  ASSERT_TRUE(db.start());
  EXPECT_TRUE(eventually([&] {
    return (*sink)->written() == 100;
  }))
    << (*sink)->status().last_error;
  EXPECT_EQ(db.count("out", "shoal"), 100u);
  EXPECT_EQ((*sink)->dropped(), 151u);
}

TEST_F(InfluxSink, DropsABatchInfluxRefuses) {
  // A point of another type in the same field: InfluxDB refuses the batch
  // for its content (400), so sending it again cannot help.
  ASSERT_EQ(db.write("out", "shoal,node=m value=\"text\" 1\n"), 204u);
  auto sink = influx_sink::start(sink_for(db, 1000), quick());
  ASSERT_TRUE(sink);
  (*sink)->write("m", point{2, 1.0});
  (*sink)->flush();
  EXPECT_TRUE(eventually([&] {
    return (*sink)->dropped() == 1;
  }));
  EXPECT_NE((*sink)->status().last_error.find("InfluxDB answered 400"),
            std::string::npos)
    << (*sink)->status().last_error;
  EXPECT_EQ((*sink)->written(), 0u);
}

TEST_F(InfluxSink, WaitsForADatabaseCreatedLater) {
  db.query("DROP DATABASE out");
  auto sink = influx_sink::start(sink_for(db, 1000), quick());
  ASSERT_TRUE(sink);
  for (int64_t i = 0; i < 10; ++i)
    (*sink)->write("m", point{i, 2.0});
  EXPECT_TRUE(eventually([&] {
    return (*sink)->status().last_error.find(
             "InfluxDB answered 404: {\"error\":\"database not found: "
             "\\\"out\\\"\"}")
           != std::string::npos;
  }))
    << (*sink)->status().last_error;
  EXPECT_EQ((*sink)->buffered(), 10u);
  db.query("CREATE DATABASE out");
  EXPECT_TRUE(eventually([&] {
    return (*sink)->written() == 10;
  }));
  EXPECT_EQ(db.count("out", "shoal"), 10u);
  EXPECT_EQ((*sink)->dropped(), 0u);
}

TEST_F(InfluxSink, GrafanaRecipeQueries) {
  auto sink = influx_sink::start(sink_for(db, 1000), quick());
  ASSERT_TRUE(sink);
  // Two nodes, ten outputs each, 1 ms apart.
  for (int64_t i = 0; i < 10; ++i) {
    (*sink)->write("p1.mean", point{i * 1'000'000, static_cast<double>(i)});
    (*sink)->write("p2.mean", point{i * 1'000'000, 100.0 + i});
  }
  (*sink)->flush();
  ASSERT_TRUE(eventually([&] {
    return (*sink)->written() == 20;
  }));
  // The panel's query as Grafana sends it for $node = p1.mean, a 5 ms
  // step and the first 10 ms.
  auto res = db.query("SELECT mean(\"value\") FROM \"shoal\" WHERE \"node\" "
                      "=~ /^p1\\.mean$/ AND time >= 0ms AND time <= 9ms "
                      "GROUP BY time(5ms), \"node\" fill(none)",
                      "out");
  auto& series = res["results"][0]["series"];
  ASSERT_EQ(series.size(), 1u) << res.dump();
  EXPECT_EQ(series[0]["tags"]["node"], "p1.mean");
  EXPECT_EQ(series[0]["values"].dump(), "[[0,2],[5000000,7]]");
  // The table of every node's latest output.
  res = db.query("SELECT last(\"value\") FROM \"shoal\" WHERE time >= 0ms "
                 "AND time <= 9ms GROUP BY \"node\"",
                 "out");
  auto& last = res["results"][0]["series"];
  ASSERT_EQ(last.size(), 2u) << res.dump();
  EXPECT_EQ(last[0]["values"][0][1], 9.0);
  EXPECT_EQ(last[1]["tags"]["node"], "p2.mean");
  EXPECT_EQ(last[1]["values"][0][1], 109.0);
  // The dashboard variable's values.
  res = db.query("SHOW TAG VALUES FROM \"shoal\" WITH KEY = \"node\"", "out");
  EXPECT_EQ(res["results"][0]["series"][0]["values"].dump(),
            R"([["node","p1.mean"],["node","p2.mean"]])");
}
