// shoal-node: runs the bundled demo, replays a file through a graph, or
// starts a cluster member (SPEC section 6). Thin: the commands live beside
// it (node_commands.hpp).

#include <cstdio>
#include <filesystem>
#include <string>

#include "apps/shoal-node/node_commands.hpp"
#include "runtime/core/errc.hpp"

namespace {

/// The demo graph: $SHOAL_DEMO_GRAPH, else config/demo/ of the source tree
/// this binary was built from, else of the current directory.
std::string demo_graph() {
  if (auto env = std::getenv("SHOAL_DEMO_GRAPH"))
    return env;
  std::string built = SHOAL_SOURCE_DIR "/config/demo/plant.toml";
  if (std::filesystem::exists(built))
    return built;
  return "config/demo/plant.toml";
}

} // namespace

int main(int argc, char** argv) {
  auto args = shoal::parse_node_args(argc, argv);
  if (!args) {
    std::fprintf(stderr, "shoal-node: %s\n%s",
                 shoal::describe(args.error()).c_str(), shoal::node_usage());
    return 2;
  }
  if (args->help) {
    std::fputs(shoal::node_usage(), stdout);
    return 0;
  }
  if (!args->config.empty())
    return shoal::member_command(*args);
  if (!args->graph.empty())
    return shoal::replay_command(*args);
  return shoal::demo_command(*args, demo_graph());
}
