// A `[[template]]` of a graph file (SPEC section 11), checked and ready to
// expand: its parameters, and per node the string values that name them.
//
// `parse_template` reads one template table once; every instance is then
// expanded from it (template_expand.hpp) without reading TOML text again.
// Each `${p}` in a string value of a template node is a reference to the
// parameter `p` (a name of letters, digits and '_'); every `${` opens one,
// so a template cannot hold the two characters `${` literally. The
// references are found here, once: an unknown parameter, an unterminated
// `${` or a malformed name is an error naming the file, the template and
// the node as written. Strings nested deeper than a node's values and the
// elements of its arrays are not looked at (no key takes them, so they are
// rejected anyway when the node is read).
//
// A `graph_template` borrows the node tables of the parsed file it came
// from: the file's `toml::table` must outlive it. A value; not thread-safe
// to change, safe to share once built.

#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <toml++/toml.h>
#include <vector>

#include "caf/expected.hpp"

#include "runtime/graph/graph_spec.hpp"

namespace shoal {

/// A piece of a string value: literal text, or the parameter at `param`.
struct template_piece {
  static constexpr size_t no_param = static_cast<size_t>(-1);

  std::string text;
  size_t param = no_param;
};

/// A string value of a template node that names at least one parameter.
struct template_slot {
  static constexpr size_t whole_value = static_cast<size_t>(-1);

  /// The key of the node table holding the value.
  std::string key;
  /// The element of an array value, or `whole_value` for the value itself.
  size_t index = whole_value;
  std::vector<template_piece> pieces;

  /// Whether the value is exactly `"${p}"`: it then takes p's value and type.
  bool is_reference() const {
    return pieces.size() == 1
           && pieces.front().param != template_piece::no_param;
  }
};

/// One `[[template.sensor]]`, `[[template.feature]]` or `[[template.model]]`.
struct template_node {
  node_kind kind = node_kind::sensor;
  const toml::table* table = nullptr;
  /// The line of the table in its file, for messages.
  size_t line = 0;
  /// The `name` as written, with its `${...}`.
  std::string name;
  std::vector<template_slot> slots;
};

struct graph_template {
  std::string name;
  std::vector<std::string> params;
  /// In the order of the file.
  std::vector<template_node> nodes;
  /// The graph file that declares the template (as shown in messages) and
  /// its directory, against which a node's `path` is resolved.
  std::string file;
  std::filesystem::path dir;

  /// The position of parameter `p` in `params`, or `template_piece::no_param`.
  size_t param_index(std::string_view p) const;

  /// "id limit": the parameters for messages.
  std::string param_list() const;
};

/// Reads the `[[template]]` table `tbl` of the graph file `file` (shown so
/// in messages), whose directory is `dir`.
caf::expected<graph_template> parse_template(const toml::table& tbl,
                                             const std::string& file,
                                             const std::filesystem::path& dir);

} // namespace shoal
