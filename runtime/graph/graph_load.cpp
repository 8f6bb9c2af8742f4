#include "runtime/graph/graph_load.hpp"

#include "runtime/functions/fn_factory.hpp"
#include "runtime/graph/graph_loader.hpp"
#include "runtime/graph/graph_validator.hpp"
#include "runtime/models/model_file.hpp"

namespace shoal {

caf::expected<graph_spec> load_graph(const std::string& path) {
  auto g = parse_graph_file(path);
  if (!g)
    return std::move(g.error());
  // Read once here; every node is built from what was read.
  if (auto err = read_model_files(*g))
    return err;
  auto check = [](const node_spec& n) -> caf::error {
    auto fn = make_fn(n);
    if (!fn)
      return std::move(fn.error());
    return caf::none;
  };
  if (auto err = validate_graph(*g, check))
    return err;
  return g;
}

} // namespace shoal
