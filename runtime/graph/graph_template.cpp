#include "runtime/graph/graph_template.hpp"

#include <algorithm>
#include <utility>

#include "runtime/graph/graph_error.hpp"
#include "runtime/graph/graph_validator.hpp"
#include "runtime/graph/toml_fields.hpp"

namespace shoal {

namespace {

bool is_param_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
         || (c >= '0' && c <= '9') || c == '_';
}

bool is_param_name(std::string_view p) {
  return !p.empty() && std::all_of(p.begin(), p.end(), is_param_char);
}

/// Splits `text` into literal pieces and parameter references of `t`.
/// Returns whether it names a parameter; sets `why` on a bad reference.
bool split_refs(std::string_view text, const graph_template& t,
                std::vector<template_piece>& out, std::string& why) {
  size_t at = 0;
  bool named = false;
  while (at < text.size()) {
    auto open = text.find("${", at);
    if (open == std::string_view::npos)
      break;
    auto close = text.find('}', open + 2);
    if (close == std::string_view::npos) {
      why = "'${' without its '}'";
      return false;
    }
    auto param = text.substr(open + 2, close - open - 2);
    if (!is_param_name(param)) {
      why = "'${" + std::string{param}
            + "}' is not a parameter reference (a parameter is named by "
              "letters, digits and '_')";
      return false;
    }
    auto k = t.param_index(param);
    if (k == template_piece::no_param) {
      why = "'${" + std::string{param}
            + "}' names no parameter (params: " + t.param_list() + ")";
      return false;
    }
    if (open > at)
      out.push_back(template_piece{std::string{text.substr(at, open - at)},
                                   template_piece::no_param});
    out.push_back(template_piece{std::string{}, k});
    named = true;
    at = close + 1;
  }
  if (named && at < text.size())
    out.push_back(
      template_piece{std::string{text.substr(at)}, template_piece::no_param});
  return named;
}

/// Finds the references in the values of `n`'s table.
caf::error find_slots(const graph_template& t, template_node& n) {
  auto where = [&](std::string_view key, const std::string& why) {
    return file_error(t.file, "template '" + t.name + "': node '" + n.name
                                + "': '" + std::string{key} + "': " + why);
  };
  for (const auto& [key, value] : *n.table) {
    std::string why;
    if (auto str = value.as_string()) {
      template_slot slot{
        std::string{key.str()}, template_slot::whole_value, {}};
      if (split_refs(str->get(), t, slot.pieces, why))
        n.slots.push_back(std::move(slot));
    } else if (auto arr = value.as_array()) {
      for (size_t i = 0; i < arr->size() && why.empty(); ++i)
        if (auto elem = (*arr)[i].as_string()) {
          template_slot slot{std::string{key.str()}, i, {}};
          if (split_refs(elem->get(), t, slot.pieces, why))
            n.slots.push_back(std::move(slot));
        }
    }
    if (!why.empty())
      return where(key.str(), why);
  }
  return caf::none;
}

caf::error read_params(const toml::table& tbl, graph_template& t) {
  auto x = tbl.get("params");
  if (x == nullptr)
    return caf::none;
  auto fail = [&](const std::string& why) {
    return file_error(t.file, "template '" + t.name + "': " + why);
  };
  auto arr = x->as_array();
  if (arr == nullptr)
    return fail("'params' must be an array of strings, not "
                + std::string{toml_type_name(*x)});
  for (const auto& elem : *arr) {
    auto p = elem.as_string();
    if (p == nullptr)
      return fail("'params' must be an array of strings, not an array "
                  "holding "
                  + std::string{toml_type_name(elem)});
    const auto& name = p->get();
    if (!is_param_name(name))
      return fail("parameter '" + name
                  + "' is malformed (letters, digits and '_')");
    if (name == "template")
      return fail("'template' cannot be a parameter: an [[instance]] names "
                  "its template with it");
    if (t.param_index(name) != template_piece::no_param)
      return fail("parameter '" + name + "' is listed twice");
    t.params.push_back(name);
  }
  return caf::none;
}

/// Collects the node tables of `tbl` in the order of the file.
caf::error read_nodes(const toml::table& tbl, graph_template& t) {
  const std::pair<const char*, node_kind> kinds[]
    = {{"sensor", node_kind::sensor},
       {"feature", node_kind::feature},
       {"model", node_kind::model}};
  for (const auto& [key, kind] : kinds) {
    auto x = tbl.get(key);
    if (x == nullptr)
      continue;
    auto arr = x->as_array();
    bool tables
      = arr != nullptr
        && std::all_of(arr->begin(), arr->end(), [](const toml::node& e) {
             return e.is_table();
           });
    if (!tables)
      return file_error(t.file, "template '" + t.name + "': '" + key
                                  + "' must be an array of tables ([[template."
                                  + key + "]])");
    for (const auto& elem : *arr) {
      template_node n;
      n.kind = kind;
      n.table = elem.as_table();
      n.line = n.table->source().begin.line;
      t.nodes.push_back(std::move(n));
    }
  }
  if (t.nodes.empty())
    return file_error(t.file, "template '" + t.name
                                + "': declares no node ([[template.sensor]], "
                                  "[[template.feature]] or "
                                  "[[template.model]])");
  std::stable_sort(t.nodes.begin(), t.nodes.end(),
                   [](const template_node& x, const template_node& y) {
                     return x.table->source().begin < y.table->source().begin;
                   });
  for (auto& n : t.nodes) {
    auto where = "template '" + t.name + "': " + to_string(n.kind) + " at line "
                 + std::to_string(n.line);
    auto name = n.table->get("name");
    if (name == nullptr)
      return file_error(t.file, where + ": missing required key 'name'");
    if (!name->is_string())
      return file_error(t.file, where + ": 'name' must be a string, not "
                                  + toml_type_name(*name));
    n.name = name->as_string()->get();
    if (auto err = find_slots(t, n))
      return err;
  }
  return caf::none;
}

} // namespace

size_t graph_template::param_index(std::string_view p) const {
  for (size_t i = 0; i < params.size(); ++i)
    if (params[i] == p)
      return i;
  return template_piece::no_param;
}

std::string graph_template::param_list() const {
  std::string text;
  for (const auto& p : params)
    text += (text.empty() ? "" : " ") + p;
  return text.empty() ? "none" : text;
}

caf::expected<graph_template> parse_template(const toml::table& tbl,
                                             const std::string& file,
                                             const std::filesystem::path& dir) {
  graph_template t;
  t.file = file;
  t.dir = dir;
  auto where = "template at line " + std::to_string(tbl.source().begin.line);
  auto name = tbl.get("name");
  if (name == nullptr)
    return file_error(file, where + ": missing required key 'name'");
  if (!name->is_string())
    return file_error(file, where + ": 'name' must be a string, not "
                              + toml_type_name(*name));
  t.name = name->as_string()->get();
  if (!is_valid_node_name(t.name))
    return file_error(file, where + ": malformed template name '" + t.name
                              + "' (1 to 128 characters of A-Z a-z 0-9 _ . "
                                ": -)");
  for (const auto& [key, value] : tbl) {
    static constexpr std::string_view allowed[]
      = {"name", "params", "sensor", "feature", "model"};
    if (std::find(std::begin(allowed), std::end(allowed), key.str())
        == std::end(allowed))
      return file_error(file, "template '" + t.name + "': unknown key '"
                                + std::string{key.str()}
                                + "' (allowed: name params sensor feature "
                                  "model)");
  }
  if (auto err = read_params(tbl, t))
    return err;
  if (auto err = read_nodes(tbl, t))
    return err;
  return t;
}

} // namespace shoal
