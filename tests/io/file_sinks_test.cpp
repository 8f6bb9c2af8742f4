// The JSON-lines file sink, the fan-out over several sinks, and the sink
// actor's periodic flush.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>

#include "caf/all.hpp"

#include "actors/messages.hpp"
#include "actors/sink_actor.hpp"
#include "runtime/host/system_config.hpp"
#include "runtime/io/fanout_sink.hpp"
#include "runtime/io/jsonl_file_sink.hpp"
#include "tests/support/io_clients.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

class FileSinks : public temp_dir_test {};

std::vector<nlohmann::json> read_lines(const std::string& path) {
  std::vector<nlohmann::json> result;
  std::istringstream in{read_file(path)};
  std::string line;
  // A line still being written does not parse; it is left for later.
  while (std::getline(in, line)) {
    auto x = nlohmann::json::parse(line, nullptr, false);
    if (!x.is_discarded())
      result.push_back(std::move(x));
  }
  return result;
}

} // namespace

TEST_F(FileSinks, JsonlWritesOneObjectPerLine) {
  auto path = (dir_ / "out.jsonl").string();
  {
    auto sink = jsonl_file_sink::open(path);
    ASSERT_TRUE(sink);
    (*sink)->write("pump1.anomaly", point{1700000000000000001, 0.1});
    (*sink)->write("a:b", point{-2, -1e300});
    EXPECT_FALSE((*sink)->flush());
  }
  auto lines = read_lines(path);
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
  auto sink = jsonl_file_sink::open((dir_ / "no/such/dir/x.jsonl").string());
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

TEST_F(FileSinks, SinkActorFlushesPeriodically) {
  // A live sink: outputs reach the file within the flush interval, long
  // before end of stream.
  auto path = (dir_ / "live.jsonl").string();
  auto sink = jsonl_file_sink::open(path);
  ASSERT_TRUE(sink);
  caf::actor_system_config cfg;
  configure_system(cfg, 1);
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  auto actor
    = self->spawn(sink_actor, std::shared_ptr<output_sink>{std::move(*sink)},
                  caf::actor{}, alert_rule{});
  self->send(actor, wire_atom_v, std::vector<caf::actor>{},
             std::vector<std::string>{"x"});
  batch b;
  b.from = node_key("x");
  b.points = {{1, 1.0}, {2, 2.0}};
  b.wm = 2;
  self->send(actor, std::move(b));
  EXPECT_TRUE(wait_until([&] {
    return read_lines(path).size() == 2;
  }));
  self->send_exit(actor, caf::exit_reason::user_shutdown);
}
