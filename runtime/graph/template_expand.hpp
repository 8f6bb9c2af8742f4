// Expanding a template (graph_template.hpp) for one instance (SPEC section
// 11): the nodes the instance stands for, as if written out by hand.
//
// For each template node, a copy of its parsed table gets the instance's
// values in the strings that name parameters, and is then read by the same
// code as a node written out (`parse_node_table`), so the two come out
// equal and fail with the same reasons. A string that is exactly "${p}"
// takes p's value itself: the TOML value of an `[[instance]]` key with its
// type, or the text of a CSV field, read as an integer, a float or a
// boolean when it is one and the key is not one of those that take strings
// (name, unit, fn, kind, needs, trigger, link, code, path). Elsewhere a
// value is put into the string as text (strings as they are, numbers as
// TOML writes them, booleans as true or false); an array, table or date
// there is an error. Pure apart from reading Lua files through the reader;
// safe from any thread.

#pragma once

#include <string>
#include <string_view>
#include <toml++/toml.h>
#include <vector>

#include "caf/error.hpp"

#include "runtime/graph/graph_loader.hpp"
#include "runtime/graph/graph_spec.hpp"
#include "runtime/graph/graph_template.hpp"

namespace shoal {

/// One instance's value of one parameter.
struct param_value {
  /// The value of an `[[instance]]` key; null for a CSV field.
  const toml::node* toml = nullptr;
  /// The text of a CSV field, when `toml` is null.
  std::string_view text;
};

/// Appends the nodes of `t` for the instance whose values are `values` (in
/// the order of `t.params`) to `out`. `origin` names the instance: it opens
/// every error ("<origin>: node '<name>': <reason>") and becomes each node's
/// `file`.
caf::error expand_template(const graph_template& t,
                           const std::vector<param_value>& values,
                           const std::string& origin,
                           const graph_file_reader& read,
                           std::vector<node_spec>& out);

} // namespace shoal
