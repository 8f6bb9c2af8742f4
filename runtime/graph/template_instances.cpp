#include "runtime/graph/template_instances.hpp"

#include "runtime/core/errc.hpp"
#include "runtime/graph/device_list.hpp"
#include "runtime/graph/graph_error.hpp"
#include "runtime/graph/template_expand.hpp"
#include "runtime/graph/toml_fields.hpp"

namespace fs = std::filesystem;

namespace shoal {

namespace {

/// "[[instance]] 2 (line 40)".
std::string table_name(const char* kind, const toml::table& tbl,
                       const instance_site& at) {
  return std::string{"[["} + kind + "]] " + std::to_string(at.index) + " (line "
         + std::to_string(tbl.source().begin.line) + ")";
}

/// "<file>: template 'pump'" or "<file>: template 'pump' (<its file>)".
std::string template_origin(const instance_site& at, const graph_template& t) {
  auto text = at.file + ": template '" + t.name + "'";
  if (t.file != at.file)
    text += " (" + t.file + ")";
  return text;
}

/// Reads the string `key` of an instance table, which must be there.
caf::error read_key(const toml::table& tbl, std::string_view key,
                    const std::string& where, std::string& out) {
  auto x = tbl.get(key);
  if (x == nullptr)
    return make_error(errc::invalid_graph, where + ": missing required key '"
                                             + std::string{key} + "'");
  if (!x->is_string())
    return make_error(errc::invalid_graph, where + ": '" + std::string{key}
                                             + "' must be a string, not "
                                             + toml_type_name(*x));
  out = x->as_string()->get();
  return caf::none;
}

/// The template an instance table names.
caf::expected<const graph_template*>
template_of(const toml::table& tbl, const std::string& where,
            const template_map& templates) {
  std::string name;
  if (auto err = read_key(tbl, "template", where, name))
    return err;
  auto i = templates.find(name);
  if (i == templates.end()) {
    std::string known;
    for (const auto& [k, t] : templates)
      known += (known.empty() ? "" : " ") + k;
    return make_error(errc::invalid_graph,
                      where + ": no template named '" + name + "' (templates: "
                        + (known.empty() ? "none" : known) + ")");
  }
  return &i->second;
}

} // namespace

caf::error expand_instance(const toml::table& tbl, const instance_site& at,
                           const template_map& templates,
                           const graph_file_reader& read,
                           std::vector<node_spec>& out) {
  auto where = at.file + ": " + table_name("instance", tbl, at);
  auto t = template_of(tbl, where, templates);
  if (!t)
    return std::move(t.error());
  const auto& tmpl = **t;
  auto origin
    = template_origin(at, tmpl) + ", " + table_name("instance", tbl, at);
  std::vector<param_value> values(tmpl.params.size());
  for (const auto& [key, value] : tbl) {
    if (key.str() == "template")
      continue;
    auto k = tmpl.param_index(key.str());
    if (k == template_piece::no_param)
      return make_error(errc::invalid_graph,
                        origin + ": unknown parameter '"
                          + std::string{key.str()}
                          + "' (params: " + tmpl.param_list() + ")");
    values[k].toml = &value;
  }
  for (size_t k = 0; k < values.size(); ++k)
    if (values[k].toml == nullptr)
      return make_error(errc::invalid_graph, origin + ": missing parameter '"
                                               + tmpl.params[k] + "'");
  return expand_template(tmpl, values, origin, read, out);
}

caf::error expand_instances(const toml::table& tbl, const instance_site& at,
                            const template_map& templates,
                            const graph_file_reader& read,
                            std::vector<node_spec>& out) {
  auto where = at.file + ": " + table_name("instances", tbl, at);
  for (const auto& [key, value] : tbl)
    if (key.str() != "template" && key.str() != "csv")
      return make_error(errc::invalid_graph, where + ": unknown key '"
                                               + std::string{key.str()}
                                               + "' (allowed: template csv)");
  auto t = template_of(tbl, where, templates);
  if (!t)
    return std::move(t.error());
  const auto& tmpl = **t;
  std::string csv;
  if (auto err = read_key(tbl, "csv", where, csv))
    return err;
  if (csv.empty())
    return make_error(errc::invalid_graph, where + ": 'csv' must not be empty");
  fs::path p{csv};
  auto shown = (p.is_absolute() ? p : at.dir / p).lexically_normal().string();
  auto text = read(shown);
  if (!text)
    return make_error(errc::invalid_graph, where + ": cannot read device list '"
                                             + shown
                                             + "': " + describe(text.error()));
  auto rows = parse_device_list(*text, shown, tmpl.params);
  if (!rows)
    return make_error(errc::invalid_graph, template_origin(at, tmpl) + ", "
                                             + describe(rows.error()));
  auto prefix = template_origin(at, tmpl) + ", " + shown + " line ";
  std::vector<param_value> values(tmpl.params.size());
  for (const auto& row : *rows) {
    for (size_t k = 0; k < values.size(); ++k)
      values[k].text = row.fields[k];
    if (auto err = expand_template(
          tmpl, values, prefix + std::to_string(row.line), read, out))
      return err;
  }
  return caf::none;
}

} // namespace shoal
