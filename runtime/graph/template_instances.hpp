// The instances of templates in a graph file (SPEC section 11): an
// `[[instance]]` table (`template` and one key per parameter) or an
// `[[instances]]` table (`template` and `csv`, a device list with one row
// per instance, device_list.hpp), each expanded into its nodes.
//
// A device list is named relative to the graph file that names it and read
// through the graph's reader, as includes and Lua files are: where the
// graph is loaded (shoalctl, for `apply`), as a regular file of at most 64
// MiB; what travels to a member is the expanded nodes, never the path.
//
// The nodes of an instance name where they came from in their `file`, so
// that every later error about one (a duplicate name, an unknown input, a
// model that does not load) names the graph file, the template, the
// instance and the node:
//   "<file>: template 'pump', [[instance]] 2 (line 40): node 'p2.over': ..."
//   "<file>: template 'pump', <csv file> line 5: node 'p4.over': ..."
// with the template's own file in parentheses after its name when another
// file declares it. Pure apart from reading files through the reader; safe
// from any thread.

#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <toml++/toml.h>
#include <vector>

#include "caf/error.hpp"

#include "runtime/graph/graph_loader.hpp"
#include "runtime/graph/graph_spec.hpp"
#include "runtime/graph/graph_template.hpp"

namespace shoal {

/// The templates of a graph, by name.
using template_map = std::map<std::string, graph_template, std::less<>>;

/// Where an instance table is: its graph file (as shown), the file's
/// directory and the table's position among the file's `[[instance]]`
/// (or `[[instances]]`) tables, from 1.
struct instance_site {
  std::string file;
  std::filesystem::path dir;
  size_t index = 0;
};

/// Appends the nodes of the `[[instance]]` table `tbl` to `out`.
caf::error expand_instance(const toml::table& tbl, const instance_site& at,
                           const template_map& templates,
                           const graph_file_reader& read,
                           std::vector<node_spec>& out);

/// Appends the nodes of every device of the `[[instances]]` table `tbl` to
/// `out`, in the order of the rows.
caf::error expand_instances(const toml::table& tbl, const instance_site& at,
                            const template_map& templates,
                            const graph_file_reader& read,
                            std::vector<node_spec>& out);

} // namespace shoal
