// The sink actor: its periodic flush to a live sink.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>

#include "caf/all.hpp"

#include "actors/dataflow/sink_actor.hpp"
#include "actors/deploy/system_config.hpp"
#include "actors/messages.hpp"
#include "runtime/io/jsonl_file_sink.hpp"
#include "tests/support/io_clients.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

class SinkActor : public temp_dir_test {};

} // namespace

TEST_F(SinkActor, FlushesALiveSinkPeriodically) {
  // A live sink: outputs reach the file within the flush interval, long
  // before end of stream.
  auto path = (dir_ / "live.jsonl").string();
  auto sink = jsonl_file_sink::open(path, file_mode::truncate);
  ASSERT_TRUE(sink);
  caf::actor_system_config cfg;
  configure_system(cfg, 1);
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  // Its own counters: the batch taken shows there, not in the process's.
  metrics live;
  actor_env env;
  env.live = &live;
  auto actor
    = self->spawn(sink_actor, std::shared_ptr<output_sink>{std::move(*sink)},
                  caf::actor{}, alert_rule{}, env);
  self->send(actor, wire_atom_v, std::vector<caf::actor>{},
             std::vector<std::string>{"x"});
  batch b;
  b.from = node_key("x");
  b.points = {{1, 1.0}, {2, 2.0}};
  b.wm = 2;
  self->send(actor, std::move(b));
  EXPECT_TRUE(wait_until([&] {
    return read_json_lines(path).size() == 2;
  }));
  // One batch taken, and none sent through these counters (the test sent it).
  EXPECT_EQ(live.backlog(), -1);
  self->send_exit(actor, caf::exit_reason::user_shutdown);
}
