#include "runtime/models/model_file.hpp"

#include <map>

#include "runtime/core/bounded_file.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/graph/graph_error.hpp"

namespace shoal {

namespace {

/// `read_bounded_file` of `n.path`, its error worded as `n`'s kind words it.
caf::expected<file_content> read_model_file(const node_spec& n) {
  auto bytes = read_bounded_file(n.path);
  if (!bytes) {
    auto why = describe(bytes.error());
    return make_error(errc::io_error, n.fn == "xgboost"
                                        ? "cannot read file (" + why + ")"
                                        : "cannot read file: " + why);
  }
  return file_content{std::move(*bytes)};
}

} // namespace

bool names_model_file(const node_spec& n) {
  return n.kind == node_kind::model && (n.fn == "xgboost" || n.fn == "onnx");
}

caf::expected<file_content> model_content(const node_spec& n) {
  if (!n.content.empty())
    return n.content;
  if (n.remote)
    return make_error(errc::invalid_graph,
                      "its content did not come with the graph (a member "
                      "never opens a file that a remote graph names)");
  return read_model_file(n);
}

caf::error read_model_files(graph_spec& g) {
  std::map<std::string, file_content> read;
  for (auto& n : g.nodes) {
    if (!names_model_file(n) || !n.content.empty() || n.path.empty())
      continue;
    if (auto i = read.find(n.path); i != read.end()) {
      n.content = i->second;
      continue;
    }
    auto content = model_content(n);
    if (!content)
      return node_error(n, n.fn + " model " + n.path + ": "
                             + describe(content.error()));
    n.content = *content;
    read.emplace(n.path, std::move(*content));
  }
  return caf::none;
}

} // namespace shoal
