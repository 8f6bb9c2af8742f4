// Graphs and replayed files travel as content (SPEC section 9): shoalctl
// reads them where it runs; a member builds the graph from what came and
// reads the input from the pieces it was sent, and never opens a path a
// client named (once, `shoalctl replay /etc/shadow` answered with the
// file's first line). Real members and shoalctl over loopback.

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "caf/all.hpp"
#include "caf/io/all.hpp"

#include "actors/deploy/system_config.hpp"
#include "actors/messages.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/graph/graph_load.hpp"
#include "tests/support/member_process.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/process.hpp"
#include "tests/support/random_graph.hpp"
#include "tests/support/xgboost_fixtures.hpp"

namespace fs = std::filesystem;
using namespace shoal::test_support;

namespace {

/// Two cells, each with an XGBoost model read from the same file; one
/// feature's Lua comes from a file too.
const char* graph_text = R"(
[[sensor]]
name = "a.temp"
[[sensor]]
name = "b.temp"
[[feature]]
name = "a.lua"
fn = "lua"
needs = ["a.temp"]
path = "lua/f.lua"
[[model]]
name = "a.m"
kind = "xgboost"
needs = ["a.lua"]
path = "models/m.json"
[[feature]]
name = "b.mean"
fn = "rolling_mean"
needs = ["b.temp"]
window = 3
[[model]]
name = "b.m"
kind = "xgboost"
needs = ["b.mean"]
path = "models/m.json"
)";

/// A fresh directory of this test process.
fs::path fresh_dir(const std::string& name) {
  auto dir = fs::temp_directory_path()
             / ("shoal_content_" + std::to_string(::getpid())) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream{p, std::ios::binary} << text;
}

/// shoalctl run in `dir` (its relative paths are relative to it).
process_result shoalctl_in(const fs::path& dir, int port,
                           const std::string& args) {
  return run_command("cd " + dir.string() + " && timeout 120 "
                     + binary("shoalctl") + " --connect 127.0.0.1:"
                     + std::to_string(port) + " " + args);
}

} // namespace

TEST(ContentTravel, AGraphRunsFromWhatShoalctlReadAfterItsFilesAreGone) {
  auto a = fresh_dir("client");
  write(a / "models/m.json", shoal::xgb_test::model_text{}.json());
  write(a / "lua/f.lua", "return function(x) return x * 0.5 + 0.25 end");
  write(a / "g.toml", graph_text);
  auto g = shoal::load_graph((a / "g.toml").string());
  ASSERT_TRUE(g) << shoal::describe(g.error());
  write(a / "in.csv", random_input(*g, 11, 3000));
  auto ref = (a / "ref.csv").string();
  auto single
    = run_command(binary("shoal-node") + " --graph " + (a / "g.toml").string()
                  + " --replay " + (a / "in.csv").string() + " --out " + ref);
  ASSERT_EQ(single.exit_code, 0) << single.output;

  std::vector<int> ports{free_loopback_port(), free_loopback_port()};
  member_process n1{write_member_config("n1", ports[0], {ports[0]})};
  await_member_count(ports[0], 1);
  auto res = shoalctl_in(a, ports[0], "apply g.toml");
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log();
  // The files are gone: a member that opened them now would fail.
  fs::remove_all(a / "models");
  fs::remove_all(a / "lua");
  // n2 joins: cells move to it and are built there, from the content.
  member_process n2{write_member_config("n2", ports[1], {ports[0]})};
  EXPECT_TRUE(await_log(n1, "re-balanced: moved")) << n1.log() << n2.log();
  std::string placed;
  for (int i = 0; i < 100; ++i) {
    placed = shoalctl(ports[1], "graph").output;
    if (placed.find(" n2") != std::string::npos)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_NE(placed.find(" n2"), std::string::npos) << placed << n1.log();
  // The input streams from shoalctl's standard input: the member's own
  // /dev/stdin is another file altogether.
  res = shoalctl_in(a, ports[1], "replay /dev/stdin --out out.csv < in.csv");
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log() << n2.log();
  auto want = sorted_lines(read_file(ref));
  auto got = sorted_lines(read_file((a / "out.csv").string()));
  EXPECT_GT(want.size(), 100u);
  EXPECT_EQ(got.size(), want.size());
  EXPECT_TRUE(got == want);
  auto logs = n1.log() + n2.log();
  EXPECT_EQ(logs.find("moved without its state"), std::string::npos) << logs;
  // Re-trained into the same path: the models are replaced, told by the
  // content shoalctl read; the same content again changes nothing.
  shoal::xgb_test::model_text retrained;
  retrained.base_score = "2.5E-1";
  write(a / "models/m.json", retrained.json());
  write(a / "lua/f.lua", "return function(x) return x * 0.5 + 0.25 end");
  res = shoalctl_in(a, ports[0], "apply g.toml");
  EXPECT_NE(res.output.find("added 0, replaced 2, unchanged 4"),
            std::string::npos)
    << res.output << n1.log() << n2.log();
  res = shoalctl_in(a, ports[0], "apply g.toml");
  EXPECT_NE(res.output.find("added 0, replaced 0, unchanged 6"),
            std::string::npos)
    << res.output;
  fs::remove_all(a);
}

TEST(ContentTravel, AReplayReadsARelativePathWhereShoalctlRuns) {
  auto a = fresh_dir("replayer");
  auto m = fresh_dir("member");
  write(a / "g.toml", "[[sensor]]\nname = \"s\"\n[[feature]]\nname = \"f\"\n"
                      "fn = \"rolling_sum\"\nneeds = [\"s\"]\nwindow = 2\n"
                      "emit = true\n");
  auto g = shoal::load_graph((a / "g.toml").string());
  ASSERT_TRUE(g);
  // Several pieces of about 1 MiB each.
  auto input = random_input(*g, 5, 150000);
  ASSERT_GT(input.size(), size_t{2} << 20);
  write(a / "in.csv", input);
  // The member runs in another directory, whose in.csv is no input at all.
  write(m / "in.csv", "root:$6$secret:19000:0:99999:7:::\n");
  auto ref = (a / "ref.csv").string();
  auto single
    = run_command(binary("shoal-node") + " --graph " + (a / "g.toml").string()
                  + " --replay " + (a / "in.csv").string() + " --out " + ref);
  ASSERT_EQ(single.exit_code, 0) << single.output;
  auto here = fs::current_path();
  fs::current_path(m);
  auto port = free_loopback_port();
  member_process n1{write_member_config("n1", port, {port})};
  fs::current_path(here);
  await_member_count(port, 1);
  ASSERT_EQ(shoalctl_in(a, port, "apply g.toml").exit_code, 0) << n1.log();
  auto res = shoalctl_in(a, port, "replay in.csv --out out.csv");
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log();
  EXPECT_TRUE(sorted_lines(read_file((a / "out.csv").string()))
              == sorted_lines(read_file(ref)));
  // A file that is not an input: the error says what is wrong with the
  // header, never what the file holds.
  res = shoalctl_in(m, port, "replay in.csv --out out.csv");
  EXPECT_EQ(res.exit_code, 1) << res.output;
  EXPECT_NE(res.output.find("in.csv: line 1: expected header"),
            std::string::npos)
    << res.output;
  EXPECT_EQ(res.output.find("secret"), std::string::npos) << res.output;
  EXPECT_FALSE(fs::exists(m / "out.csv"));
  fs::remove_all(a);
  fs::remove_all(m);
}

TEST(ContentTravel, AMemberAnswersNoPathAndOrdersItsChunks) {
  auto port = free_loopback_port();
  member_process n1{write_member_config("n1", port, {port})};
  await_member_count(port, 1);
  auto a = fresh_dir("raw");
  write(a / "g.toml", "[[sensor]]\nname = \"s\"\n");
  ASSERT_EQ(shoalctl_in(a, port, "apply g.toml").exit_code, 0) << n1.log();
  {
    caf::actor_system_config cfg;
    shoal::configure_system(cfg, 1);
    cfg.load<caf::io::middleman>();
    caf::actor_system sys{cfg};
    auto member = sys.middleman().remote_actor("127.0.0.1", port);
    ASSERT_TRUE(member) << sys.render(member.error());
    caf::scoped_actor self{sys};
    auto ask = [&](auto... xs) {
      std::string what = "answered";
      self->request(*member, std::chrono::seconds(10), xs...)
        .receive([&](const caf::message&) {},
                 [&](caf::error& err) {
                   what = sys.render(err);
                 });
      return what;
    };
    // The message that once made a member open a path is no longer one.
    auto res = ask(shoal::replay_atom_v, std::string{"/etc/hostname"});
    EXPECT_NE(res.find("unexpected_message"), std::string::npos) << res;
    // Chunks come in order, each at the byte where the one before ended.
    shoal::replay_chunk c;
    c.data = "sensor,ts,value\ns,1,1\n";
    std::string opened;
    self
      ->request(*member, std::chrono::seconds(10), shoal::replay_atom_v,
                std::string{"raw.csv"}, c)
      .receive(
        [&](const shoal::replay_ack& ack) {
          c.session = ack.session;
        },
        [&](caf::error& err) {
          opened = sys.render(err);
        });
    ASSERT_EQ(opened, "");
    c.seq = 2;
    c.offset = c.data.size();
    res = ask(shoal::replay_atom_v, c);
    EXPECT_NE(res.find("expected chunk 1 at byte 22, got chunk 2 at byte 22"),
              std::string::npos)
      << res;
    // A chunk over the cap is refused before anything else is looked at.
    shoal::replay_chunk big = c;
    big.seq = 1;
    big.data.assign(shoal::replay_piece_max_bytes + 1, 'x');
    res = ask(shoal::replay_atom_v, big);
    EXPECT_NE(res.find("replay chunk 1 holds 16777217 bytes; a chunk may hold "
                       "at most 16777216"),
              std::string::npos)
      << res;
    // The client goes away in mid-stream (this actor system ends).
  }
  // Its session ended with it: a replay is taken again.
  write(a / "in.csv", "sensor,ts,value\ns,5,1\n");
  process_result res;
  for (int i = 0; i < 50; ++i) {
    res = shoalctl_in(a, port, "replay in.csv --out out.csv");
    if (res.output.find("another replay") == std::string::npos)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(res.exit_code, 0) << res.output << n1.log();
  fs::remove_all(a);
}

TEST(ContentTravel, ShoalctlRefusesAGraphTooLargeToSendBeforeConnecting) {
  auto a = fresh_dir("large");
  // Five distinct models of 60 MiB each (sparse: no disk is used).
  std::string text = "[[sensor]]\nname = \"s\"\n";
  for (int i = 0; i < 5; ++i) {
    auto name = "m" + std::to_string(i) + ".onnx";
    write(a / name, std::string(1, static_cast<char>('a' + i)));
    fs::resize_file(a / name, uint64_t{60} << 20);
    text += "[[model]]\nname = \"m" + std::to_string(i)
            + "\"\nkind = \"onnx\"\nneeds = [\"s\"]\npath = \"" + name + "\"\n";
  }
  write(a / "g.toml", text);
  // Port 1: nothing listens there, and shoalctl never tries.
  auto res = shoalctl_in(a, 1, "apply g.toml");
  EXPECT_EQ(res.exit_code, 1) << res.output;
  EXPECT_NE(res.output.find("shoalctl: apply: the graph with its model and "
                            "Lua files is "),
            std::string::npos)
    << res.output;
  EXPECT_NE(res.output.find("more than the cap of 268435456 bytes (256 MiB)"),
            std::string::npos)
    << res.output;
  // One file beyond the 64 MiB cap of each.
  fs::resize_file(a / "m0.onnx", (uint64_t{64} << 20) + 1);
  write(a / "one.toml", "[[sensor]]\nname = \"s\"\n[[model]]\nname = \"m\"\n"
                        "kind = \"onnx\"\nneeds = [\"s\"]\npath = "
                        "\"m0.onnx\"\n");
  res = shoalctl_in(a, 1, "apply one.toml");
  EXPECT_EQ(res.exit_code, 1) << res.output;
  EXPECT_NE(res.output.find("node 'm': onnx model " + (a / "m0.onnx").string()
                            + ": cannot read file: is larger than the cap of "
                              "67108864 bytes"),
            std::string::npos)
    << res.output;
  fs::remove_all(a);
}
