// Input CSV lines longer than the limit (64 KiB): each is one malformed row
// at its own line number, skipped without being held in memory, and the rows
// after it are read, also from a fifo and from a last line without '\n'.

#include <atomic>
#include <cstdio>
#include <gtest/gtest.h>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "runtime/core/errc.hpp"
#include "runtime/io/csv.hpp"
#include "tests/support/alloc_counter.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

constexpr size_t limit = sample_reader::default_max_line;

/// What a reader found: "s<line>" for a sample of sensor s, "!<line>" for a
/// malformed row.
std::vector<std::string> rows_of(sample_reader& rd) {
  std::vector<std::string> result;
  sample_row row;
  for (auto k = rd.next(row); k != row_kind::end; k = rd.next(row)) {
    auto line = std::to_string(rd.line_number());
    result.push_back(k == row_kind::sample ? std::string{row.sensor} + line
                                           : "!" + line);
  }
  EXPECT_FALSE(rd.error());
  return result;
}

std::vector<std::string> rows_of(const std::string& path, size_t block_size) {
  auto rd = sample_reader::open(path, block_size);
  EXPECT_TRUE(rd) << describe(rd.error());
  return rd ? rows_of(*rd) : std::vector<std::string>{};
}

} // namespace

TEST(CsvLineLimit, CountsAnOverlongLineAsMalformedAndReadsOn) {
  // Rows that would parse, were they not padded beyond the limit; the last
  // one has no '\n'.
  std::string pad(200000, ' ');
  temp_file path{"overlong.csv", "sensor,ts,value\n"
                                 "a,1,1\n"
                                 "x,2,2"
                                   + pad + "\nb,3,3\n\n" + pad + "y,5,5\r\n"
                                   + "c,6,6\n" + "z,7,7" + pad};
  std::vector<std::string> want{"a2", "!3", "b4", "!6", "c7", "!8"};
  for (size_t block : {size_t{7}, size_t{4096}, size_t{100000},
                       line_reader::default_block_size})
    EXPECT_EQ(rows_of(path, block), want) << "block " << block;
}

TEST(CsvLineLimit, ReadsALineOfExactlyTheLimit) {
  std::string at_limit = "a,1,1" + std::string(limit - 5, ' ');
  ASSERT_EQ(at_limit.size(), limit);
  temp_file path{"at_limit.csv",
                 "sensor,ts,value\n" + at_limit + "\n" + at_limit + " \nb,2,2"};
  std::vector<std::string> want{"a2", "!3", "b4"};
  EXPECT_EQ(rows_of(path, 1000), want);
  EXPECT_EQ(rows_of(path, line_reader::default_block_size), want);
}

TEST(CsvLineLimit, SkipsAnOverlongLineWithoutHoldingIt) {
  // A 16 MiB line costs the reader no more than its 1 MiB block.
  temp_file path{"sixteen_mib_line.csv", "sensor,ts,value\n"
                                           + std::string(16 << 20, 'x')
                                           + "\na,1,1\n"};
  auto before = live_heap_bytes();
  auto rd = sample_reader::open(path);
  ASSERT_TRUE(rd) << describe(rd.error());
  EXPECT_EQ(rows_of(*rd), (std::vector<std::string>{"!2", "a3"}));
  EXPECT_LT(live_heap_bytes() - before, int64_t{2} << 20);
}

TEST(CsvLineLimit, ReadsOnAfterAnOverlongLineFromAFifo) {
  // A writer that sends 8 MiB without a '\n' through a fifo, then rows.
  auto path = ::testing::TempDir() + "shoal_csv_line_limit.fifo";
  std::remove(path.c_str());
  ASSERT_EQ(mkfifo(path.c_str(), 0600), 0);
  std::thread writer{[&] {
    auto* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr)
      return;
    std::fputs("sensor,ts,value\na,1,1\n", f);
    std::string chunk(1 << 16, 'y');
    for (int i = 0; i < 128; ++i)
      std::fwrite(chunk.data(), 1, chunk.size(), f);
    std::fputs("\nb,2,2\n", f);
    std::fclose(f);
  }};
  auto before = live_heap_bytes();
  auto rd = sample_reader::open(path);
  std::vector<std::string> got;
  if (rd)
    got = rows_of(*rd);
  auto held = live_heap_bytes() - before;
  writer.join();
  std::remove(path.c_str());
  ASSERT_TRUE(rd) << describe(rd.error());
  EXPECT_EQ(got, (std::vector<std::string>{"a2", "!3", "b4"}));
  EXPECT_LT(held, int64_t{2} << 20);
}

TEST(CsvLineLimit, RefusesAnOverlongHeader) {
  temp_file path{"overlong_header.csv",
                 "sensor,ts,value" + std::string(limit, ' ') + "\na,1,1\n"};
  auto rd = sample_reader::open(path);
  ASSERT_FALSE(rd);
  EXPECT_EQ(rd.error().code(), static_cast<uint8_t>(errc::invalid_input));
  EXPECT_NE(describe(rd.error()).find("line 1: expected header"),
            std::string::npos);
  EXPECT_NE(describe(rd.error()).find("longer than 65536 bytes"),
            std::string::npos)
    << describe(rd.error());
}

TEST(CsvLineLimit, LineReaderCutsAnOverlongLine) {
  temp_file path{"cut.txt", "abc\n0123456789\nxy\n0123456789"};
  auto rd = line_reader::open(path, 3, 4);
  ASSERT_TRUE(rd) << describe(rd.error());
  std::vector<std::string> got;
  std::string_view line;
  while (rd->next(line))
    got.push_back(std::string{line} + (rd->overlong() ? "+" : ""));
  EXPECT_EQ(got, (std::vector<std::string>{"abc", "0123+", "xy", "0123+"}));
  EXPECT_EQ(rd->line_number(), 4u);
}
