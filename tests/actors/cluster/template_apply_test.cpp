// Templates in a running cluster (SPEC sections 9 and 11): shoalctl expands
// the device list where it runs, so a member never opens it; applying the
// graph again after the list grew adds only the new devices' nodes, and a
// changed row replaces only that device's changed nodes. Real members and
// shoalctl over loopback.

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <string>
#include <unistd.h>

#include "runtime/core/errc.hpp"
#include "runtime/graph/graph_load.hpp"
#include "tests/support/member_process.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/process.hpp"
#include "tests/support/random_graph.hpp"

namespace fs = std::filesystem;
using namespace shoal::test_support;

namespace {

const char* graph_text = R"(
[[sensor]]
name = "ambient"

[[template]]
name = "pump"
params = ["id", "limit"]
[[template.sensor]]
name = "${id}.temp"
[[template.feature]]
name = "${id}.temp.mean"
fn = "rolling_mean"
needs = ["${id}.temp"]
window = 3
[[template.model]]
name = "${id}.over"
kind = "linear"
needs = ["${id}.temp.mean", "ambient"]
weights = [1.0, -1.0]
bias = "${limit}"

[[instances]]
template = "pump"
csv = "pumps.csv"
)";

fs::path fresh_dir(const std::string& name) {
  auto dir = fs::temp_directory_path()
             / ("shoal_tmpl_apply_" + std::to_string(::getpid())) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void write(const fs::path& p, const std::string& text) {
  std::ofstream{p, std::ios::binary} << text;
}

process_result shoalctl_in(const fs::path& dir, int port,
                           const std::string& args) {
  return run_command("cd " + dir.string() + " && timeout 120 "
                     + binary("shoalctl") + " --connect 127.0.0.1:"
                     + std::to_string(port) + " " + args);
}

} // namespace

TEST(TemplateApply, AGrownDeviceListAddsOnlyTheNewDevicesNodes) {
  auto a = fresh_dir("client");
  auto m = fresh_dir("member");
  write(a / "g.toml", graph_text);
  write(a / "pumps.csv", "id,limit\np1,-80\np2,-75\n");
  // The member runs where pumps.csv is no device list at all.
  write(m / "pumps.csv", "root:$6$secret:19000:0:99999:7:::\n");
  auto here = fs::current_path();
  fs::current_path(m);
  int port = free_loopback_port();
  member_process n1{write_member_config("n1", port, {port})};
  fs::current_path(here);
  await_member_count(port, 1);

  auto res = shoalctl_in(a, port, "apply g.toml");
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log();
  EXPECT_NE(res.output.find("applied 7 nodes on 1 members"), std::string::npos)
    << res.output;
  // One device more: its three nodes, nothing else.
  write(a / "pumps.csv", "id,limit\np1,-80\np2,-75\np3,-70\n");
  res = shoalctl_in(a, port, "apply g.toml");
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log();
  EXPECT_NE(res.output.find("added 3, replaced 0, unchanged 7"),
            std::string::npos)
    << res.output;
  // p1's limit changes: its model only.
  write(a / "pumps.csv", "id,limit\np1,-60\np2,-75\np3,-70\n");
  res = shoalctl_in(a, port, "apply g.toml");
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log();
  EXPECT_NE(res.output.find("added 0, replaced 1, unchanged 9"),
            std::string::npos)
    << res.output;
  auto placed = shoalctl(port, "graph").output;
  EXPECT_NE(placed.find("p3.over "), std::string::npos) << placed;

  // The expanded graph runs as one node runs it.
  auto g = shoal::load_graph((a / "g.toml").string());
  ASSERT_TRUE(g) << shoal::describe(g.error());
  write(a / "in.csv", random_input(*g, 3, 3000, 1'000'000));
  auto ref = (a / "ref.csv").string();
  auto single
    = run_command(binary("shoal-node") + " --graph " + (a / "g.toml").string()
                  + " --replay " + (a / "in.csv").string() + " --out " + ref);
  ASSERT_EQ(single.exit_code, 0) << single.output;
  res = shoalctl_in(a, port, "replay in.csv --out out.csv");
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log();
  auto want = sorted_lines(read_file(ref));
  EXPECT_GT(want.size(), 100u);
  EXPECT_EQ(sorted_lines(read_file((a / "out.csv").string())), want);
  fs::remove_all(a.parent_path());
}
