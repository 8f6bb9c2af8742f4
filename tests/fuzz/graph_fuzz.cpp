// Fuzzes the graph file parser and validator (runtime/graph): the input is
// the text of a graph file, parsed by `parse_graph_text` and, if it parses,
// checked by `validate_graph`. Includes, device lists and Lua files never
// touch the disk: every include reads as one small graph of a sensor, every
// CSV file as a device list of two rows (columns id and limit), every other
// file as a Lua chunk. A graph the validator accepts must be in topological
// order.

#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "runtime/core/errc.hpp"
#include "runtime/graph/graph_loader.hpp"
#include "runtime/graph/graph_validator.hpp"

using namespace shoal;

namespace {

caf::expected<std::string> read_fake(const std::string& path) {
  if (path.size() >= 5 && path.compare(path.size() - 5, 5, ".toml") == 0)
    return std::string{"[[sensor]]\nname = \"inc.s\"\n"};
  if (path.size() >= 4 && path.compare(path.size() - 4, 4, ".csv") == 0)
    return std::string{"id,limit\na,-1.5\nb,2\n"};
  if (path.size() >= 4 && path.compare(path.size() - 4, 4, ".lua") == 0)
    return std::string{"return function(x) return x end"};
  return make_error(errc::io_error, "no such file");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text{reinterpret_cast<const char*>(data), size};
  static const graph_file_reader reader = read_fake;
  auto g = parse_graph_text(text, "/fuzz/graph.toml", reader);
  if (!g)
    return 0;
  auto no_check = [](const node_spec&) -> caf::error {
    return caf::none;
  };
  if (validate_graph(*g, no_check))
    return 0;
  std::set<std::string> seen;
  for (const auto& n : g->nodes) {
    for (const auto& in : n.needs)
      if (seen.count(in) == 0)
        std::abort();
    seen.insert(n.name);
  }
  return 0;
}
