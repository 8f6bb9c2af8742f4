// The InfluxDB sink and replay source against a real influxd
// (tests/support/influxd_server.hpp): paging in time order, every output
// written, nothing lost while the database restarts, drops counted when the
// buffer overflows, and clear errors for what InfluxDB answers.

#include <chrono>
#include <gtest/gtest.h>
#include <thread>

#include "runtime/core/errc.hpp"
#include "runtime/io/csv.hpp"
#include "runtime/io/influx_bytes.hpp"
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

std::string replay_url(const influxd_server& db, const std::string& name,
                       const std::string& measurement) {
  return "influxdb://127.0.0.1:" + std::to_string(db.port()) + "/" + name
         + "?measurement=" + measurement
         + "&start=1970-01-01T00:00:00Z&end=1970-01-01T00:00:01Z";
}

/// Reads every byte of `src`.
std::string read_all(byte_source& src) {
  std::string out;
  char buf[7];
  for (;;) {
    auto r = src.read(buf, sizeof(buf));
    out.append(buf, r.got);
    if (r.end)
      return out;
  }
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

class InfluxTest : public testing::Test {
protected:
  void SetUp() override {
    ASSERT_TRUE(db.running()) << "influxd did not start";
    db.query("CREATE DATABASE src");
    db.query("CREATE DATABASE out");
  }

  influxd_server db;
};

} // namespace

TEST_F(InfluxTest, PagesEveryPointInTimeOrderAcrossTies) {
  // Three sensors at each time, pages of two points: page boundaries fall
  // between points of the same time; points outside [start, end) are left
  // out, and a point without a number counts as malformed later.
  std::string lines = "raw,sensor=a value=99 1000000000\n";
  std::string want = "sensor,ts,value\n";
  for (int t = 1; t <= 7; ++t)
    for (int k = 0; k < 3; ++k) {
      std::string sensor{static_cast<char>('a' + k)};
      auto value = std::to_string(t * 10 + k) + ".25";
      auto ts = std::to_string(t * 1000);
      lines += "raw,sensor=" + sensor + " value=" + value + " " + ts + "\n";
      want += sensor + "," + ts + "," + value + "\n";
    }
  ASSERT_EQ(db.write("src", lines), 204u);
  ASSERT_EQ(db.write("src", "raw,sensor=b other=1 8000\n"), 204u);
  influx_pages::options opts;
  opts.page_points = 2;
  auto src = influx_bytes::open(replay_url(db, "src", "raw"), opts);
  ASSERT_TRUE(src) << describe(src.error());
  EXPECT_EQ(read_all(**src), want);
  EXPECT_FALSE((*src)->failed());
  // The same through the CSV reader, in pages of 1,000 (one page).
  src = influx_bytes::open(replay_url(db, "src", "raw"));
  ASSERT_TRUE(src);
  auto reader = sample_reader::open(*src, "influx");
  ASSERT_TRUE(reader) << describe(reader.error());
  sample_row row;
  size_t n = 0;
  while (reader->next(row) == row_kind::sample)
    ++n;
  EXPECT_EQ(n, 21u);
}

TEST_F(InfluxTest, SinkWritesEveryOutput) {
  auto sink = influx_sink::start(sink_for(db, 100'000), quick());
  ASSERT_TRUE(sink) << describe(sink.error());
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

TEST_F(InfluxTest, SinkLosesNothingThatFitsWhileTheDatabaseRestarts) {
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

TEST_F(InfluxTest, SinkCountsDropsWhenTheBufferOverflows) {
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
  ASSERT_TRUE(db.start());
  EXPECT_TRUE(eventually([&] {
    return (*sink)->written() == 100;
  }))
    << (*sink)->status().last_error;
  EXPECT_EQ(db.count("out", "shoal"), 100u);
  EXPECT_EQ((*sink)->dropped(), 151u);
}

TEST_F(InfluxTest, SinkDropsABatchInfluxRefuses) {
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

TEST_F(InfluxTest, ReplaySourceSaysWhatWentWrong) {
  auto url = replay_url(db, "nope", "raw");
  auto src = influx_bytes::open(url);
  ASSERT_FALSE(src);
  EXPECT_EQ(describe(src.error()),
            url + ": InfluxDB: database not found: nope");
  // An answer larger than allowed is refused, whatever it says its size is.
  std::string lines;
  for (int i = 0; i < 200; ++i)
    lines += "raw,sensor=s value=1 " + std::to_string(i + 1) + "\n";
  ASSERT_EQ(db.write("src", lines), 204u);
  influx_pages::options small;
  small.max_answer_bytes = 1000;
  url = replay_url(db, "src", "raw");
  src = influx_bytes::open(url, small);
  ASSERT_FALSE(src);
  EXPECT_EQ(describe(src.error()),
            url + ": 127.0.0.1:" + std::to_string(db.port())
              + ": the answer is larger than 1000 bytes");
  // A database that does not answer.
  db.stop();
  src = influx_bytes::open(url);
  ASSERT_FALSE(src);
  EXPECT_NE(describe(src.error())
              .find(url + ": 127.0.0.1:" + std::to_string(db.port())
                    + ": cannot connect: "),
            std::string::npos)
    << describe(src.error());
}
