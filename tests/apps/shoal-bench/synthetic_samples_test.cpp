// The sample generator of shoal-bench and its CSV helper.

#include <cmath>
#include <cstdio>
#include <gtest/gtest.h>
#include <map>
#include <string>
#include <vector>

#include "apps/shoal-bench/synthetic_samples.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/io/csv.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal;

namespace {

std::vector<std::string> names(size_t n) {
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i)
    out.push_back("s" + std::to_string(i));
  return out;
}

constexpr int64_t sec = 1'000'000'000;
constexpr int64_t t0 = sample_generator::default_start_ns;

} // namespace

TEST(SampleGenerator, SpreadsTheRateOverTheSensors) {
  sample_generator gen{names(50), 1000.0, 7};
  EXPECT_EQ(gen.period_ns(), 50 * sec / 1000);
  EXPECT_DOUBLE_EQ(gen.rate_per_s(), 1000.0);
  std::vector<synthetic_sample> out;
  gen.generate(t0, t0 + 3 * sec, out);
  // Three seconds: 3000 samples, 60 of each sensor.
  ASSERT_EQ(out.size(), 3000u);
  std::map<uint32_t, size_t> per_sensor;
  for (const auto& s : out)
    ++per_sensor[s.sensor];
  ASSERT_EQ(per_sensor.size(), 50u);
  for (const auto& [sensor, count] : per_sensor)
    EXPECT_EQ(count, 60u) << "sensor " << sensor;
}

TEST(SampleGenerator, OrdersByTimeAndKeepsEachSensorIncreasing) {
  sample_generator gen{names(40), 2000.0, 3};
  std::vector<synthetic_sample> out;
  gen.generate(t0 + 123, t0 + 2 * sec + 77, out);
  ASSERT_FALSE(out.empty());
  std::map<uint32_t, int64_t> last;
  size_t shared = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    const auto& s = out[i];
    EXPECT_GE(s.ts, t0 + 123);
    EXPECT_LT(s.ts, t0 + 2 * sec + 77);
    EXPECT_TRUE(std::isfinite(s.value));
    if (i > 0) {
      ASSERT_LE(out[i - 1].ts, s.ts);
      if (out[i - 1].ts == s.ts) {
        ++shared;
        EXPECT_LT(out[i - 1].sensor, s.sensor);
      }
    }
    auto it = last.find(s.sensor);
    if (it != last.end()) {
      EXPECT_GT(s.ts, it->second);
    }
    last[s.sensor] = s.ts;
  }
  // Some sensors share their timestamps.
  EXPECT_GT(shared, 0u);
}

TEST(SampleGenerator, AnyWindowGivesTheSameSamples) {
  sample_generator gen{names(25), 5000.0, 11};
  std::vector<synthetic_sample> whole;
  gen.generate(t0, t0 + sec, whole);
  std::vector<synthetic_sample> pieces;
  for (int64_t from = t0; from < t0 + sec; from += 777'777)
    gen.generate(from, std::min(from + 777'777, t0 + sec), pieces);
  EXPECT_EQ(pieces, whole);
  // first(n) is a prefix, and a new generator with the same seed agrees.
  auto prefix = gen.first(1234, t0);
  ASSERT_EQ(prefix.size(), 1234u);
  EXPECT_TRUE(std::equal(prefix.begin(), prefix.end(), whole.begin()));
  sample_generator again{names(25), 5000.0, 11};
  EXPECT_EQ(again.first(1234, t0), prefix);
  sample_generator other{names(25), 5000.0, 12};
  EXPECT_NE(other.first(1234, t0), prefix);
}

TEST(SampleGenerator, WritesAnInputCsvThatReadsBackExactly) {
  sample_generator gen{names(30), 10000.0, 5};
  auto path = test_support::write_temp_file("synthetic_in.csv", "");
  ASSERT_FALSE(write_samples_csv(path, gen, 4321));
  auto expected = gen.first(4321);
  auto reader = sample_reader::open(path);
  ASSERT_TRUE(reader) << describe(reader.error());
  sample_row row;
  size_t i = 0;
  for (auto k = reader->next(row); k != row_kind::end; k = reader->next(row)) {
    ASSERT_EQ(k, row_kind::sample) << "line " << reader->line_number();
    ASSERT_LT(i, expected.size());
    EXPECT_EQ(row.sensor, gen.sensor_names()[expected[i].sensor]);
    EXPECT_EQ(row.ts, expected[i].ts);
    EXPECT_EQ(row.value, expected[i].value);
    ++i;
  }
  EXPECT_EQ(i, expected.size());
  std::remove(path.c_str());
}

TEST(SampleGenerator, WriteFailsOnAnUnwritablePath) {
  sample_generator gen{names(2), 10.0, 1};
  auto err = write_samples_csv("/nonexistent-dir/x.csv", gen, 10);
  ASSERT_TRUE(err);
  EXPECT_EQ(err.code(), static_cast<uint8_t>(errc::io_error));
}
