#include "runtime/graph/graph_size.hpp"

#include <string>

#include "runtime/core/bounded_file.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/graph/graph_error.hpp"

namespace shoal {

namespace {

/// Bytes of a string on the wire: its length and its characters.
uint64_t text_bytes(const std::string& x) {
  return 8 + x.size();
}

uint64_t list_bytes(const std::vector<std::string>& xs) {
  uint64_t n = 8;
  for (auto& x : xs)
    n += text_bytes(x);
  return n;
}

/// "256 MiB" for whole MiB, else the bytes.
std::string show_bytes(uint64_t n) {
  if (n % (uint64_t{1} << 20) == 0)
    return std::to_string(n >> 20) + " MiB";
  return std::to_string(n) + " bytes";
}

} // namespace

uint64_t graph_wire_bytes(const graph_spec& g) {
  uint64_t n = 16;
  for (auto& x : g.nodes) {
    n += text_bytes(x.name) + text_bytes(x.fn) + list_bytes(x.needs)
         + list_bytes(x.trigger) + text_bytes(x.unit) + text_bytes(x.link)
         + text_bytes(x.code) + text_bytes(x.path) + text_bytes(x.file)
         + 8 * (x.weights.size() + 1)
         + 64
         // The six parameters of SPEC section 12 and their count.
         + 8 * 7;
  }
  for (auto& c : files_of(g).contents)
    n += text_bytes(c.bytes()) + 4;
  return n + 4 * g.nodes.size();
}

caf::error check_graph_size(const graph_spec& g, uint64_t cap) {
  for (auto& x : g.nodes)
    if (x.content.bytes().size() > max_graph_file_bytes)
      return node_error(x, "the content of '" + x.path
                             + "' is larger than the cap of "
                             + std::to_string(max_graph_file_bytes) + " bytes");
  auto n = graph_wire_bytes(g);
  if (n <= cap)
    return caf::none;
  return make_error(errc::invalid_graph,
                    "the graph with its model and Lua files is "
                      + std::to_string(n) + " bytes, more than the cap of "
                      + std::to_string(cap) + " bytes (" + show_bytes(cap)
                      + ")");
}

} // namespace shoal
