#include "runtime/graph/graph_loader.hpp"

#include <filesystem>
#include <optional>
#include <toml++/toml.h>

#include "runtime/core/bounded_file.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/graph/graph_error.hpp"
#include "runtime/graph/graph_reader.hpp"
#include "runtime/graph/node_table.hpp"
#include "runtime/graph/toml_fields.hpp"

namespace fs = std::filesystem;

namespace shoal {

namespace {

/// Reads the whole file at `p` with `read`; on failure returns nothing and
/// says why.
std::optional<std::string> read_text(const graph_file_reader& read,
                                     const fs::path& p, std::string& why) {
  auto text = read(p.string());
  if (!text) {
    why = describe(text.error());
    return std::nullopt;
  }
  return std::move(*text);
}

caf::error first_error(std::initializer_list<caf::error> errs) {
  for (const auto& err : errs)
    if (err)
      return err;
  return caf::none;
}

caf::error resolve_path(node_spec& n, const fs::path& dir,
                        const graph_file_reader& read) {
  if (n.path.empty())
    return node_error(n, "'path' must not be empty");
  fs::path p{n.path};
  n.path = absolute_normal(p.is_absolute() ? p : dir / p).string();
  if (n.kind == node_kind::sensor || n.fn != "lua")
    return caf::none;
  // Lua chunks travel inline so that a node spec is self-contained.
  std::string why;
  auto text = read_text(read, n.path, why);
  if (!text)
    return node_error(n, "cannot read Lua file '" + n.path + "': " + why);
  n.code = std::move(*text);
  return caf::none;
}

} // namespace

fs::path absolute_normal(const fs::path& p) {
  std::error_code ec;
  auto abs = fs::absolute(p, ec);
  return (ec ? p : abs).lexically_normal();
}

caf::error parse_node_table(node_kind kind, const toml::table& tbl,
                            const std::string& file, const fs::path& dir,
                            const graph_file_reader& read, node_spec& n) {
  n.kind = kind;
  n.file = file;
  n.emit = kind == node_kind::model;
  auto where = std::string{to_string(kind)} + " at line "
               + std::to_string(tbl.source().begin.line);
  auto name = tbl.get("name");
  if (name == nullptr)
    return file_error(file, where + ": missing required key 'name'");
  if (!name->is_string())
    return file_error(file, where + ": 'name' must be a string, not "
                              + toml_type_name(*name));
  n.name = name->as_string()->get();
  field_reader r{tbl, n};
  caf::error err;
  switch (kind) {
    case node_kind::sensor:
      err = first_error({r.check_keys({"name", "unit", "emit"}),
                         r.read("unit", n.unit), r.read("emit", n.emit)});
      break;
    case node_kind::feature:
      err = first_error(
        {r.check_keys({"name", "fn", "needs", "trigger", "emit", "window",
                       "window_ns", "alpha", "lo", "hi", "mul", "add", "band",
                       "q", "code", "path"}),
         r.read("fn", n.fn, true), r.read("needs", n.needs, true),
         r.read("trigger", n.trigger), r.read("emit", n.emit),
         r.read_count("window", n.window),
         r.read_count("window_ns", n.window_ns), r.read("alpha", n.alpha),
         r.read_param("lo", n.lo), r.read_param("hi", n.hi),
         r.read_param("mul", n.mul), r.read_param("add", n.add),
         r.read_param("band", n.band), r.read_param("q", n.q),
         r.read("code", n.code), r.read("path", n.path)});
      break;
    case node_kind::model:
      err = first_error(
        {r.check_keys({"name", "kind", "needs", "trigger", "emit", "weights",
                       "bias", "link", "code", "path"}),
         r.read("kind", n.fn, true), r.read("needs", n.needs),
         r.read("trigger", n.trigger), r.read("emit", n.emit),
         r.read("weights", n.weights), r.read("bias", n.bias),
         r.read("link", n.link), r.read("code", n.code),
         r.read("path", n.path)});
      break;
  }
  if (err || !r.has("path"))
    return err;
  if (n.fn == "lua" && r.has("code"))
    return node_error(n, "give either 'code' or 'path', not both");
  return resolve_path(n, dir, read);
}

caf::expected<std::string> read_graph_file(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(fs::status(path, ec)))
    return make_error(errc::io_error, "no such file");
  return read_bounded_file(path);
}

caf::expected<graph_spec> parse_graph_file(const std::string& path) {
  graph_file_reader read = read_graph_file;
  graph_reader reader{read};
  if (auto err = reader.read_file(fs::path{path}, path, std::string{}))
    return err;
  return reader.build();
}

caf::expected<graph_spec> parse_graph_text(std::string_view text,
                                           const std::string& path,
                                           const graph_file_reader& read) {
  graph_reader reader{read};
  if (auto err = reader.read_text(text, fs::path{path}, path))
    return err;
  return reader.build();
}

} // namespace shoal
