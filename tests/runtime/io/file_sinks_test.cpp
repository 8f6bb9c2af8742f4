// The JSON-lines file sink and the fan-out over several sinks.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>

#include "runtime/io/fanout_sink.hpp"
#include "runtime/io/jsonl_file_sink.hpp"
#include "tests/support/io_clients.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

class FileSinks : public temp_dir_test {};

} // namespace

TEST_F(FileSinks, JsonlWritesOneObjectPerLine) {
  auto path = (dir_ / "out.jsonl").string();
  {
    auto sink = jsonl_file_sink::open(path, file_mode::truncate);
    ASSERT_TRUE(sink);
    (*sink)->write("pump1.anomaly", point{1700000000000000001, 0.1});
    (*sink)->write("a:b", point{-2, -1e300});
    EXPECT_FALSE((*sink)->flush());
  }
  auto lines = read_json_lines(path);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["node"], "pump1.anomaly");
  EXPECT_EQ(lines[0]["ts"].get<int64_t>(), 1700000000000000001);
  EXPECT_EQ(lines[0]["value"].get<double>(), 0.1);
  EXPECT_EQ(lines[1]["node"], "a:b");
  EXPECT_EQ(lines[1]["value"].get<double>(), -1e300);
  std::string buf;
  append_jsonl_row(buf, "q\"\\", 3, 1.5);
  EXPECT_EQ(nlohmann::json::parse(buf)["node"], "q\"\\");
}

TEST_F(FileSinks, JsonlCannotCreateIsAnError) {
  auto sink = jsonl_file_sink::open((dir_ / "no/such/dir/x.jsonl").string(),
                                    file_mode::truncate);
  EXPECT_FALSE(sink);
}

TEST_F(FileSinks, FanoutWritesToAll) {
  auto a = std::make_shared<memory_sink>();
  auto b = std::make_shared<memory_sink>();
  fanout_sink f{{a, b}};
  f.write("n", point{1, 2.0});
  EXPECT_FALSE(f.flush());
  ASSERT_EQ(a->rows.size(), 1u);
  EXPECT_EQ(a->rows, b->rows);
}
