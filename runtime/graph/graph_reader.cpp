#include "runtime/graph/graph_reader.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include "runtime/core/errc.hpp"
#include "runtime/graph/graph_error.hpp"
#include "runtime/graph/node_table.hpp"

namespace fs = std::filesystem;

namespace shoal {

namespace {

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

caf::error syntax_error(const std::string& file, const toml::parse_error& e) {
  const auto& pos = e.source().begin;
  return make_error(errc::invalid_graph, file + ":" + std::to_string(pos.line)
                                           + ":" + std::to_string(pos.column)
                                           + ": "
                                           + std::string{e.description()});
}

/// The node kind of a top-level key, if it is one.
std::optional<node_kind> node_kind_of(std::string_view key) {
  if (key == "sensor")
    return node_kind::sensor;
  if (key == "feature")
    return node_kind::feature;
  if (key == "model")
    return node_kind::model;
  return std::nullopt;
}

} // namespace

graph_reader::graph_reader(const graph_file_reader& read) : read_(read) {
  // nop
}

caf::error graph_reader::read_file(const fs::path& p, const std::string& shown,
                                   const std::string& parent) {
  // Each level of includes is a level of recursion here: a chain of
  // thousands of files would overflow the stack.
  if (stack_ids_.size() >= max_include_depth)
    return file_error(parent, "includes nest deeper than "
                                + std::to_string(max_include_depth)
                                + " files (at '" + shown + "')");
  auto text = read_(p.string());
  if (!text)
    return parent.empty()
             ? file_error(shown,
                          "cannot read graph file: " + describe(text.error()))
             : file_error(parent, "cannot read included file '" + shown
                                    + "': " + describe(text.error()));
  return read_text(*text, p, shown);
}

caf::error graph_reader::read_text(std::string_view text, const fs::path& p,
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
  auto& f = files_.emplace_back();
  f.doc = std::move(doc);
  f.shown = shown;
  f.dir = p.parent_path();
  stack_ids_.push_back(identity_of(p));
  stack_shown_.push_back(shown);
  done_.insert(stack_ids_.back());
  auto err = read_doc(f);
  stack_ids_.pop_back();
  stack_shown_.pop_back();
  return err;
}

caf::error graph_reader::read_doc(parsed_file& f) {
  const toml::array* includes = nullptr;
  for (const auto& [key, value] : f.doc) {
    if (key == "include") {
      includes = value.as_array();
      if (includes == nullptr
          || !all_of_type(*includes, toml::node_type::string))
        return file_error(f.shown, "'include' must be an array of strings");
      continue;
    }
    auto kind = node_kind_of(key.str());
    auto what = table_kind::node;
    if (key == "instance")
      what = table_kind::instance;
    else if (key == "instances")
      what = table_kind::instances;
    else if (!kind && key != "template")
      return file_error(f.shown, "unknown top-level key '"
                                   + std::string{key.str()}
                                   + "' (allowed: sensor feature model "
                                     "include template instance instances)");
    auto arr = value.as_array();
    if (arr == nullptr || !all_of_type(*arr, toml::node_type::table))
      return file_error(f.shown, "'" + std::string{key.str()}
                                   + "' must be an array of tables ([["
                                   + std::string{key.str()} + "]])");
    for (const auto& elem : *arr) {
      if (key == "template") {
        if (auto err = add_template(*elem.as_table(), f))
          return err;
        continue;
      }
      f.tables.push_back(
        declared{what, kind.value_or(node_kind::sensor), elem.as_table(), {}});
    }
  }
  // Tables iterate by key; restore the order of the file.
  std::stable_sort(f.tables.begin(), f.tables.end(),
                   [](const declared& x, const declared& y) {
                     return x.tbl->source().begin < y.tbl->source().begin;
                   });
  // Plain nodes are read now, before the includes, so that files are read
  // in the order of the graph (a Lua file before the next include).
  for (auto& d : f.tables)
    if (d.what == table_kind::node)
      if (auto err
          = parse_node_table(d.kind, *d.tbl, f.shown, f.dir, read_, d.node))
        return err;
  return includes != nullptr ? read_includes(*includes, f) : caf::none;
}

caf::error graph_reader::read_includes(const toml::array& includes,
                                       const parsed_file& f) {
  for (const auto& elem : includes) {
    fs::path inc{elem.as_string()->get()};
    auto p = inc.is_absolute() ? inc : f.dir / inc;
    auto inc_shown = p.lexically_normal().string();
    auto id = identity_of(p);
    auto on_stack = std::find(stack_ids_.begin(), stack_ids_.end(), id);
    if (on_stack != stack_ids_.end()) {
      std::string cycle;
      for (auto i = on_stack - stack_ids_.begin();
           i < static_cast<ptrdiff_t>(stack_shown_.size()); ++i)
        cycle += stack_shown_[static_cast<size_t>(i)] + " -> ";
      return file_error(f.shown, "include cycle: " + cycle + inc_shown);
    }
    if (done_.count(id) > 0)
      continue;
    if (auto err = read_file(p, inc_shown, f.shown))
      return err;
  }
  return caf::none;
}

caf::error graph_reader::add_template(const toml::table& tbl,
                                      const parsed_file& f) {
  auto t = parse_template(tbl, f.shown, f.dir);
  if (!t)
    return std::move(t.error());
  auto i = templates_.find(t->name);
  if (i != templates_.end())
    return file_error(f.shown, "template '" + t->name + "' is declared twice"
                                 + (i->second.file == f.shown
                                      ? std::string{" in this file"}
                                      : ", also in " + i->second.file));
  auto name = t->name;
  templates_.emplace(std::move(name), std::move(*t));
  return caf::none;
}

caf::expected<graph_spec> graph_reader::build() {
  graph_spec g;
  for (auto& f : files_) {
    instance_site inline_at{f.shown, f.dir, 0};
    instance_site list_at{f.shown, f.dir, 0};
    for (auto& d : f.tables) {
      caf::error err;
      switch (d.what) {
        case table_kind::node: g.nodes.push_back(std::move(d.node)); break;
        case table_kind::instance:
          ++inline_at.index;
          err = expand_instance(*d.tbl, inline_at, templates_, read_, g.nodes);
          break;
        case table_kind::instances:
          ++list_at.index;
          err = expand_instances(*d.tbl, list_at, templates_, read_, g.nodes);
          break;
      }
      if (err)
        return err;
    }
  }
  return g;
}

} // namespace shoal
