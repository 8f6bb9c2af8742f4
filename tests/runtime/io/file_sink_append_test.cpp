// How the file sinks treat a file that exists: appended to (a member's
// configured sinks across restarts) or emptied (`truncate`, a replay's OUT).

#include <gtest/gtest.h>
#include <string>

#include "runtime/core/errc.hpp"
#include "runtime/io/csv_file_sink.hpp"
#include "runtime/io/jsonl_file_sink.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

class FileSinkAppend : public temp_dir_test {
protected:
  /// Opens `path` as a csv sink in `mode`, writes one output and closes it.
  void csv_run(const std::string& path, file_mode mode, int64_t ts) {
    auto sink = csv_file_sink::open(path, mode);
    ASSERT_TRUE(sink) << describe(sink.error());
    (*sink)->write("n", point{ts, 0.5});
    EXPECT_FALSE((*sink)->flush());
  }

  void jsonl_run(const std::string& path, file_mode mode, int64_t ts) {
    auto sink = jsonl_file_sink::open(path, mode);
    ASSERT_TRUE(sink) << describe(sink.error());
    (*sink)->write("n", point{ts, 0.5});
    EXPECT_FALSE((*sink)->flush());
  }
};

} // namespace

TEST_F(FileSinkAppend, CsvKeepsOldRowsAndWritesTheHeaderOnce) {
  auto path = (dir_ / "out.csv").string();
  csv_run(path, file_mode::append, 1);
  EXPECT_EQ(read_file(path), "node,ts,value\nn,1,0.5\n");
  csv_run(path, file_mode::append, 2);
  csv_run(path, file_mode::append, 3);
  EXPECT_EQ(read_file(path), "node,ts,value\nn,1,0.5\nn,2,0.5\nn,3,0.5\n");
}

TEST_F(FileSinkAppend, CsvWritesTheHeaderIntoAnEmptyFile) {
  auto path = write("out.csv", "");
  csv_run(path, file_mode::append, 1);
  EXPECT_EQ(read_file(path), "node,ts,value\nn,1,0.5\n");
}

TEST_F(FileSinkAppend, CsvEndsAPartialLastLineFirst) {
  // A crash left half a row: it stays a row of its own (a malformed one),
  // and the next row does not run into it.
  auto path = write("out.csv", "node,ts,value\nn,1,0.5\nn,2,0.");
  csv_run(path, file_mode::append, 3);
  EXPECT_EQ(read_file(path), "node,ts,value\nn,1,0.5\nn,2,0.\nn,3,0.5\n");
  // A header without its newline is the header.
  auto bare = write("bare.csv", "node,ts,value");
  csv_run(bare, file_mode::append, 4);
  EXPECT_EQ(read_file(bare), "node,ts,value\nn,4,0.5\n");
}

TEST_F(FileSinkAppend, CsvRefusesAFileWithAnotherHeader) {
  auto path = write("out.csv", "sensor,ts,value\na,1,2\n");
  auto sink = csv_file_sink::open(path, file_mode::append);
  ASSERT_FALSE(sink);
  EXPECT_EQ(describe(sink.error()),
            path
              + ": cannot append: the file exists and its first line is "
                "'sensor,ts,value', not the header 'node,ts,value' (move the "
                "file away, or set truncate = true to empty it)");
  // Untouched.
  EXPECT_EQ(read_file(path), "sensor,ts,value\na,1,2\n");
  // A file shorter than the header is not ours either.
  auto short_file = write("short.csv", "node\n");
  EXPECT_FALSE(csv_file_sink::open(short_file, file_mode::append));
}

TEST_F(FileSinkAppend, CsvTruncateStartsAfresh) {
  auto path = write("out.csv", "sensor,ts,value\na,1,2\n");
  csv_run(path, file_mode::truncate, 7);
  EXPECT_EQ(read_file(path), "node,ts,value\nn,7,0.5\n");
}

TEST_F(FileSinkAppend, JsonlAppendsLines) {
  auto path = (dir_ / "out.jsonl").string();
  jsonl_run(path, file_mode::append, 1);
  jsonl_run(path, file_mode::append, 2);
  EXPECT_EQ(read_file(path), "{\"node\":\"n\",\"ts\":1,\"value\":0.5}\n"
                             "{\"node\":\"n\",\"ts\":2,\"value\":0.5}\n");
}

TEST_F(FileSinkAppend, JsonlEndsAPartialLastLineFirst) {
  auto path = write("out.jsonl", "{\"node\":\"n\",\"ts\":1,\"value\":0.5}\n"
                                 "{\"node\":\"n\",\"ts\":2,\"va");
  jsonl_run(path, file_mode::append, 3);
  EXPECT_EQ(read_file(path), "{\"node\":\"n\",\"ts\":1,\"value\":0.5}\n"
                             "{\"node\":\"n\",\"ts\":2,\"va\n"
                             "{\"node\":\"n\",\"ts\":3,\"value\":0.5}\n");
}

TEST_F(FileSinkAppend, JsonlTruncateStartsAfresh) {
  auto path = write("out.jsonl", "old line\nand another\n");
  jsonl_run(path, file_mode::truncate, 9);
  EXPECT_EQ(read_file(path), "{\"node\":\"n\",\"ts\":9,\"value\":0.5}\n");
}
