#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <gtest/gtest.h>
#include <limits>
#include <string>
#include <vector>

#include "runtime/core/errc.hpp"
#include "runtime/io/csv.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

std::vector<std::string> read_lines(const std::string& path,
                                    size_t block_size) {
  auto rd = line_reader::open(path, block_size);
  EXPECT_TRUE(rd) << describe(rd.error());
  std::vector<std::string> lines;
  std::string_view line;
  while (rd->next(line)) {
    lines.emplace_back(line);
    EXPECT_EQ(rd->line_number(), lines.size());
  }
  EXPECT_FALSE(rd->error());
  return lines;
}

bool same_bits(double x, double y) {
  return std::memcmp(&x, &y, sizeof(double)) == 0;
}

} // namespace

// -- header -----------------------------------------------------------------

TEST(CsvHeader, AcceptsHeader) {
  EXPECT_FALSE(check_input_header("sensor,ts,value", "in.csv"));
}

TEST(CsvHeader, AcceptsBomCarriageReturnAndSpaces) {
  EXPECT_FALSE(check_input_header("\xEF\xBB\xBFsensor,ts,value", "in.csv"));
  EXPECT_FALSE(check_input_header("sensor,ts,value\r", "in.csv"));
  EXPECT_FALSE(check_input_header(" sensor , ts,\tvalue \r", "in.csv"));
  EXPECT_FALSE(check_input_header("\xEF\xBB\xBFsensor, ts, value\r", "x"));
}

TEST(CsvHeader, RejectsWrongHeaderNamingFileAndLine) {
  auto err = check_input_header("node,ts,value\r", "data/in.csv");
  ASSERT_TRUE(err);
  EXPECT_EQ(err.code(), static_cast<uint8_t>(errc::invalid_input));
  EXPECT_EQ(describe(err), "data/in.csv: line 1: expected header "
                           "'sensor,ts,value', but field 1 is not 'sensor' "
                           "(the line is not shown)");
  EXPECT_EQ(describe(check_input_header("sensor,ts", "f")),
            "f: line 1: expected header 'sensor,ts,value', but it has 2 "
            "fields (the line is not shown)");
}

TEST(CsvHeader, RejectsMissingExtraOrDataFields) {
  EXPECT_TRUE(check_input_header("sensor,ts", "f"));
  EXPECT_TRUE(check_input_header("sensor,ts,value,", "f"));
  EXPECT_TRUE(check_input_header("a,1,2.5", "f"));
  EXPECT_TRUE(check_input_header("", "f"));
  EXPECT_TRUE(check_input_header("Sensor,TS,Value", "f"));
}

TEST(CsvHeader, NeverShowsWhatTheFileHolds) {
  // A remote `shoalctl replay /etc/shadow` once got the file's first line
  // back in this error.
  auto err = check_input_header("root:$6$secret:19000:0:99999:7:::", "f");
  ASSERT_TRUE(err);
  auto text = describe(err);
  EXPECT_EQ(text.find("secret"), std::string::npos) << text;
  EXPECT_EQ(text.find("root"), std::string::npos) << text;
  EXPECT_LT(text.size(), 200u);
}

// -- rows -------------------------------------------------------------------

TEST(CsvRow, ParsesRow) {
  sample_row row;
  ASSERT_TRUE(parse_sample_row("pump1.temp,1700000000000000000,21.5", row));
  EXPECT_EQ(row.sensor, "pump1.temp");
  EXPECT_EQ(row.ts, 1700000000000000000);
  EXPECT_EQ(row.value, 21.5);
}

TEST(CsvRow, AllowsSpacesCarriageReturnSignsAndExponents) {
  sample_row row;
  ASSERT_TRUE(parse_sample_row("  a:b , -5 ,\t+1.25e2 \r", row));
  EXPECT_EQ(row.sensor, "a:b");
  EXPECT_EQ(row.ts, -5);
  EXPECT_EQ(row.value, 125.0);
  ASSERT_TRUE(parse_sample_row("a,+7,-.5", row));
  EXPECT_EQ(row.ts, 7);
  EXPECT_EQ(row.value, -0.5);
}

TEST(CsvRow, ParsesNonFiniteValues) {
  sample_row row;
  ASSERT_TRUE(parse_sample_row("a,1,nan", row));
  EXPECT_TRUE(std::isnan(row.value));
  ASSERT_TRUE(parse_sample_row("a,1,inf", row));
  EXPECT_EQ(row.value, std::numeric_limits<double>::infinity());
  ASSERT_TRUE(parse_sample_row("a,1,-Infinity", row));
  EXPECT_EQ(row.value, -std::numeric_limits<double>::infinity());
}

TEST(CsvRow, ReadsOutOfRangeValuesAsStrtodDoes) {
  sample_row row;
  ASSERT_TRUE(parse_sample_row("a,1,1e999", row));
  EXPECT_EQ(row.value, HUGE_VAL);
  ASSERT_TRUE(parse_sample_row("a,1,-1e999", row));
  EXPECT_EQ(row.value, -HUGE_VAL);
  ASSERT_TRUE(parse_sample_row("a,1,1e-999", row));
  EXPECT_EQ(row.value, 0.0);
}

TEST(CsvRow, RejectsWrongFieldCount) {
  sample_row row;
  EXPECT_FALSE(parse_sample_row("a,1", row));
  EXPECT_FALSE(parse_sample_row("a", row));
  EXPECT_FALSE(parse_sample_row("a,1,2,3", row));
  EXPECT_FALSE(parse_sample_row("a,1,2,", row));
  EXPECT_FALSE(parse_sample_row("a;1;2", row));
}

TEST(CsvRow, RejectsEmptySensor) {
  sample_row row;
  EXPECT_FALSE(parse_sample_row(",1,2", row));
  EXPECT_FALSE(parse_sample_row("  ,1,2", row));
}

TEST(CsvRow, RejectsTimestampThatIsNotAnInt64) {
  sample_row row;
  EXPECT_FALSE(parse_sample_row("a,,2", row));
  EXPECT_FALSE(parse_sample_row("a,1.5,2", row));
  EXPECT_FALSE(parse_sample_row("a,1e9,2", row));
  EXPECT_FALSE(parse_sample_row("a,12x,2", row));
  EXPECT_FALSE(parse_sample_row("a,1 2,2", row));
  EXPECT_FALSE(parse_sample_row("a,+-1,2", row));
  EXPECT_FALSE(parse_sample_row("a,9223372036854775808,2", row));
  ASSERT_TRUE(parse_sample_row("a,9223372036854775807,2", row));
  EXPECT_EQ(row.ts, std::numeric_limits<int64_t>::max());
}

TEST(CsvRow, RejectsValueThatIsNotANumber) {
  sample_row row;
  EXPECT_FALSE(parse_sample_row("a,1,", row));
  EXPECT_FALSE(parse_sample_row("a,1,abc", row));
  EXPECT_FALSE(parse_sample_row("a,1,1.5x", row));
  EXPECT_FALSE(parse_sample_row("a,1,1,5", row));
  EXPECT_FALSE(parse_sample_row("a,1,+", row));
  EXPECT_FALSE(parse_sample_row("a,1,\"2\"", row));
}

TEST(CsvRow, BlankLines) {
  EXPECT_TRUE(is_blank_line(""));
  EXPECT_TRUE(is_blank_line(" \t\r"));
  EXPECT_FALSE(is_blank_line(" ,"));
}

// -- output -----------------------------------------------------------------

TEST(CsvOutput, RoundTripsAwkwardDoubles) {
  const double values[] = {0.1,
                           1.0 / 3.0,
                           -2.0 / 3.0,
                           DBL_MAX,
                           -DBL_MAX,
                           DBL_MIN,
                           std::numeric_limits<double>::denorm_min(),
                           std::nextafter(1.0, 2.0),
                           9007199254740993.0,
                           123456789012345678.0,
                           1e-300,
                           -0.0,
                           0.0,
                           5e-324,
                           2.2250738585072009e-308};
  for (auto x : values) {
    std::string buf;
    append_output_row(buf, "n.1", -42, x);
    ASSERT_EQ(buf.back(), '\n');
    char expected[64];
    std::snprintf(expected, sizeof(expected), "n.1,-42,%.17g\n", x);
    EXPECT_EQ(buf, expected);
    sample_row row;
    ASSERT_TRUE(parse_sample_row({buf.data(), buf.size() - 1}, row)) << buf;
    EXPECT_EQ(row.sensor, "n.1");
    EXPECT_EQ(row.ts, -42);
    EXPECT_TRUE(same_bits(row.value, x)) << buf;
  }
}

TEST(CsvOutput, AppendsRowsAfterHeader) {
  std::string buf{output_header};
  append_output_row(buf, "m", 1700000000000000001, 0.5);
  append_output_row(buf, "m", 1700000000000000002, 2);
  EXPECT_EQ(buf, "node,ts,value\nm,1700000000000000001,0.5\n"
                 "m,1700000000000000002,2\n");
}

// -- line_reader ------------------------------------------------------------

TEST(LineReader, ReadsFileWithFinalNewline) {
  temp_file path{"final_nl.csv", "a\n\nbc\r\nd\n"};
  std::vector<std::string> expected{"a", "", "bc\r", "d"};
  EXPECT_EQ(read_lines(path, line_reader::default_block_size), expected);
  EXPECT_EQ(read_lines(path, 1), expected);
  EXPECT_EQ(read_lines(path, 3), expected);
}

TEST(LineReader, ReadsFileWithoutFinalNewline) {
  temp_file path{"no_final_nl.csv", "a\nbc\nlast"};
  std::vector<std::string> expected{"a", "bc", "last"};
  EXPECT_EQ(read_lines(path, line_reader::default_block_size), expected);
  EXPECT_EQ(read_lines(path, 2), expected);
}

TEST(LineReader, ReadsEmptyFile) {
  temp_file path{"empty.csv", ""};
  EXPECT_TRUE(read_lines(path, 4).empty());
}

TEST(LineReader, ReadsLinesLongerThanItsBlock) {
  std::string long1(100000, 'x');
  std::string long2(33333, 'y');
  temp_file path{"long.csv", "s\n" + long1 + "\n" + long2};
  std::vector<std::string> expected{"s", long1, long2};
  EXPECT_EQ(read_lines(path, 16), expected);
  EXPECT_EQ(read_lines(path, 4096), expected);
}

TEST(LineReader, ReadsFileLargerThanItsBlock) {
  std::string content;
  std::vector<std::string> expected;
  for (int i = 0; i < 20000; ++i) {
    expected.push_back("s" + std::to_string(i % 7) + "," + std::to_string(i)
                       + "," + std::to_string(i * 0.25));
    content += expected.back();
    content += '\n';
  }
  temp_file path{"large.csv", content};
  EXPECT_EQ(read_lines(path, 7), expected);
  EXPECT_EQ(read_lines(path, 1000), expected);
  EXPECT_EQ(read_lines(path, line_reader::default_block_size), expected);
}

TEST(LineReader, FailsOnMissingFile) {
  auto rd = line_reader::open(::testing::TempDir() + "no/such/file.csv");
  ASSERT_FALSE(rd);
  EXPECT_EQ(rd.error().code(), static_cast<uint8_t>(errc::io_error));
  EXPECT_NE(describe(rd.error()).find("no/such/file.csv"), std::string::npos);
}

// -- sample_reader ----------------------------------------------------------

TEST(SampleReader, SkipsBlankLinesAndReportsMalformedRowsByLine) {
  temp_file path{"samples.csv", "\xEF\xBB\xBFsensor,ts,value\r\n"
                                "a,1,1.5\r\n"
                                "\r\n"
                                "a,2\r\n"
                                "   \n"
                                "b,3,nan\n"
                                "\n"};
  auto rd = sample_reader::open(path, 5);
  ASSERT_TRUE(rd) << describe(rd.error());
  sample_row row;
  ASSERT_EQ(rd->next(row), row_kind::sample);
  EXPECT_EQ(row.sensor, "a");
  EXPECT_EQ(rd->line_number(), 2u);
  ASSERT_EQ(rd->next(row), row_kind::malformed);
  EXPECT_EQ(rd->line_number(), 4u);
  ASSERT_EQ(rd->next(row), row_kind::sample);
  EXPECT_EQ(row.sensor, "b");
  EXPECT_EQ(row.ts, 3);
  EXPECT_EQ(rd->line_number(), 6u);
  EXPECT_EQ(rd->next(row), row_kind::end);
  EXPECT_EQ(rd->next(row), row_kind::end);
  EXPECT_FALSE(rd->error());
}

TEST(SampleReader, RejectsBadOrMissingHeader) {
  auto bad = sample_reader::open(temp_file{"bad.csv", "a,1,2\n"});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), static_cast<uint8_t>(errc::invalid_input));
  EXPECT_NE(describe(bad.error()).find("field 1 is not 'sensor'"),
            std::string::npos);
  EXPECT_EQ(describe(bad.error()).find("a,1,2"), std::string::npos);
  auto empty = sample_reader::open(temp_file{"nothing.csv", ""});
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code(), static_cast<uint8_t>(errc::invalid_input));
  EXPECT_NE(describe(empty.error()).find("line 1"), std::string::npos);
}
