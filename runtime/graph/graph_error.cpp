#include "runtime/graph/graph_error.hpp"

#include "runtime/core/errc.hpp"

namespace shoal {

caf::error node_error(const node_spec& n, const std::string& reason) {
  std::string text = n.file.empty() ? std::string{"graph"} : n.file;
  text += ": node '";
  text += n.name;
  text += "': ";
  text += reason;
  return make_error(errc::invalid_graph, std::move(text));
}

caf::error file_error(const std::string& file, const std::string& reason) {
  return make_error(errc::invalid_graph, file + ": " + reason);
}

} // namespace shoal
