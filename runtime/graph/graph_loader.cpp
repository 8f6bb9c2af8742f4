#include "runtime/graph/graph_loader.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <set>
#include <toml++/toml.h>
#include <vector>

#include "runtime/core/bounded_file.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/graph/graph_error.hpp"
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

/// Returns `p` absolute and lexically normalised.
fs::path absolute_normal(const fs::path& p) {
  std::error_code ec;
  auto abs = fs::absolute(p, ec);
  return (ec ? p : abs).lexically_normal();
}

/// Returns a key that is equal for two spellings of the same file.
std::string identity_of(const fs::path& p) {
  std::error_code ec;
  auto canon = fs::weakly_canonical(p, ec);
  return ec ? absolute_normal(p).string() : canon.string();
}

/// Whether every element of `arr` has type `type` (true when empty).
bool all_of_type(const toml::array& arr, toml::node_type type) {
  return std::all_of(arr.begin(), arr.end(), [type](const toml::node& x) {
    return x.type() == type;
  });
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

/// Parses one `[[sensor]]`, `[[feature]]` or `[[model]]` table of `file`.
caf::error parse_node(node_kind kind, const toml::table& tbl,
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

caf::error syntax_error(const std::string& file, const toml::parse_error& e) {
  const auto& pos = e.source().begin;
  return make_error(errc::invalid_graph, file + ":" + std::to_string(pos.line)
                                           + ":" + std::to_string(pos.column)
                                           + ": "
                                           + std::string{e.description()});
}

/// A node table with where it appears in its file.
struct declared {
  node_kind kind;
  const toml::table* tbl;
};

/// Reads one file and its includes into `graph`, depth first.
class loader {
public:
  graph_spec graph;

  explicit loader(const graph_file_reader& read) : read_(read) {
    // nop
  }

  /// Loads the file at `p`, shown to users as `shown`. `parent` is the
  /// file that includes it (empty for the top-level file).
  caf::error load(const fs::path& p, const std::string& shown,
                  const std::string& parent) {
    // Each level of includes is a level of recursion here: a chain of
    // thousands of files would overflow the stack.
    if (stack_ids_.size() >= max_include_depth)
      return file_error(parent, "includes nest deeper than "
                                  + std::to_string(max_include_depth)
                                  + " files (at '" + shown + "')");
    std::string why;
    auto text = read_text(read_, p, why);
    if (!text)
      return parent.empty()
               ? file_error(shown, "cannot read graph file: " + why)
               : file_error(parent, "cannot read included file '" + shown
                                      + "': " + why);
    return load_text(*text, p, shown);
  }

  /// Parses `text`, the contents of the file at `p`, and loads its
  /// includes.
  caf::error load_text(std::string_view text, const fs::path& p,
                       const std::string& shown) {
    toml::table doc;
#if TOML_EXCEPTIONS
    try {
      doc = toml::parse(text, shown);
    } catch (const toml::parse_error& e) {
      return syntax_error(shown, e);
    }
#else
    auto res = toml::parse(text, shown);
    if (!res)
      return syntax_error(shown, res.error());
    doc = std::move(res).table();
#endif
    stack_ids_.push_back(identity_of(p));
    stack_shown_.push_back(shown);
    done_.insert(stack_ids_.back());
    auto err = load_doc(doc, p.parent_path(), shown);
    stack_ids_.pop_back();
    stack_shown_.pop_back();
    return err;
  }

private:
  caf::error load_doc(const toml::table& doc, const fs::path& dir,
                      const std::string& shown) {
    std::vector<declared> decls;
    const toml::array* includes = nullptr;
    for (const auto& [key, value] : doc) {
      node_kind kind;
      if (key == "sensor") {
        kind = node_kind::sensor;
      } else if (key == "feature") {
        kind = node_kind::feature;
      } else if (key == "model") {
        kind = node_kind::model;
      } else if (key == "include") {
        includes = value.as_array();
        if (includes == nullptr
            || !all_of_type(*includes, toml::node_type::string))
          return file_error(shown, "'include' must be an array of strings");
        continue;
      } else {
        return file_error(shown, "unknown top-level key '"
                                   + std::string{key.str()}
                                   + "' (allowed: sensor feature model "
                                     "include)");
      }
      auto arr = value.as_array();
      if (arr == nullptr || !all_of_type(*arr, toml::node_type::table))
        return file_error(shown, "'" + std::string{key.str()}
                                   + "' must be an array of tables ([["
                                   + std::string{key.str()} + "]])");
      for (const auto& elem : *arr)
        decls.push_back(declared{kind, elem.as_table()});
    }
    // Tables iterate by key; restore the order of the file.
    std::stable_sort(decls.begin(), decls.end(),
                     [](const declared& x, const declared& y) {
                       return x.tbl->source().begin < y.tbl->source().begin;
                     });
    for (const auto& d : decls) {
      node_spec n;
      if (auto err = parse_node(d.kind, *d.tbl, shown, dir, read_, n))
        return err;
      graph.nodes.push_back(std::move(n));
    }
    if (includes == nullptr)
      return caf::none;
    for (const auto& elem : *includes) {
      fs::path inc{elem.as_string()->get()};
      auto p = inc.is_absolute() ? inc : dir / inc;
      auto inc_shown = p.lexically_normal().string();
      auto id = identity_of(p);
      auto on_stack = std::find(stack_ids_.begin(), stack_ids_.end(), id);
      if (on_stack != stack_ids_.end()) {
        std::string cycle;
        for (auto i = on_stack - stack_ids_.begin();
             i < static_cast<ptrdiff_t>(stack_shown_.size()); ++i)
          cycle += stack_shown_[static_cast<size_t>(i)] + " -> ";
        return file_error(shown, "include cycle: " + cycle + inc_shown);
      }
      if (done_.count(id) > 0)
        continue;
      if (auto err = load(p, inc_shown, shown))
        return err;
    }
    return caf::none;
  }

  const graph_file_reader& read_;
  std::vector<std::string> stack_ids_;
  std::vector<std::string> stack_shown_;
  std::set<std::string> done_;
};

} // namespace

caf::expected<std::string> read_graph_file(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(fs::status(path, ec)))
    return make_error(errc::io_error, "no such file");
  return read_bounded_file(path);
}

caf::expected<graph_spec> parse_graph_file(const std::string& path) {
  graph_file_reader read = read_graph_file;
  loader ld{read};
  if (auto err = ld.load(fs::path{path}, path, std::string{}))
    return err;
  return std::move(ld.graph);
}

caf::expected<graph_spec> parse_graph_text(std::string_view text,
                                           const std::string& path,
                                           const graph_file_reader& read) {
  loader ld{read};
  if (auto err = ld.load_text(text, fs::path{path}, path))
    return err;
  return std::move(ld.graph);
}

} // namespace shoal
