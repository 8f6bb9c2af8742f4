// shoal-node: runs the bundled demo, replays a file through a graph, or
// starts a cluster member (SPEC section 6). Thin: the commands live beside
// it (node_commands.hpp).

#include <cstdlib>
#include <filesystem>
#include <string>

#include "apps/shoal-node/node_commands.hpp"

namespace {

/// The demo graph: $SHOAL_DEMO_GRAPH, else config/demo/ of the source tree
/// this binary was built from, else the installed copy (share/shoal/demo,
/// cmake/packaging.cmake), else config/demo/ of the current directory.
std::string demo_graph() {
  if (auto env = std::getenv("SHOAL_DEMO_GRAPH"))
    return env;
  for (const char* path : {SHOAL_SOURCE_DIR "/config/demo/plant.toml",
                           SHOAL_DATA_DIR "/demo/plant.toml"})
    if (std::filesystem::exists(path))
      return path;
  return "config/demo/plant.toml";
}

} // namespace

int main(int argc, char** argv) {
  shoal::node_args args;
  if (int rc = shoal::parse_node_args(argc, argv, args); rc >= 0)
    return rc;
  if (!args.config.empty())
    return shoal::member_command(args);
  if (!args.graph.empty())
    return shoal::replay_command(args);
  return shoal::demo_command(args, demo_graph());
}
