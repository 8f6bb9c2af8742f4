// The InfluxDB replay source against a real influxd
// (tests/support/influxd_server.hpp): paging in time order across points of
// equal time, and errors that name the URL and what InfluxDB answered.

#include <gtest/gtest.h>

#include "runtime/core/errc.hpp"
#include "runtime/io/csv.hpp"
#include "runtime/io/influx_bytes.hpp"
#include "tests/support/influxd_server.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

std::string replay_url(const influxd_server& db, const std::string& name,
                       const std::string& measurement) {
  return "influxdb://127.0.0.1:" + std::to_string(db.port()) + "/" + name
         + "?measurement=" + measurement
         + "&start=1970-01-01T00:00:00Z&end=1970-01-01T00:00:01Z";
}

/// Reads every byte of `src`, a few at a time.
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

class InfluxSource : public testing::Test {
protected:
  void SetUp() override {
    ASSERT_TRUE(db.running()) << "influxd did not start";
    db.query("CREATE DATABASE src");
  }

  influxd_server db;
};

} // namespace

TEST_F(InfluxSource, PagesEveryPointInTimeOrderAcrossTies) {
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

TEST_F(InfluxSource, SaysWhatWentWrong) {
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
