#include "runtime/graph/template_expand.hpp"

#include <algorithm>
#include <charconv>

#include "runtime/graph/graph_error.hpp"
#include "runtime/graph/node_table.hpp"
#include "runtime/graph/toml_fields.hpp"

namespace shoal {

namespace {

/// The keys whose values are strings: a CSV field put whole into one of
/// them stays text.
bool takes_strings(std::string_view key) {
  static constexpr std::string_view keys[] = {
    "name", "unit", "fn", "kind", "needs", "trigger", "link", "code", "path"};
  return std::find(std::begin(keys), std::end(keys), key) != std::end(keys);
}

/// Puts `value` where `slot` is in `tbl`.
template <class T>
void place(toml::table& tbl, const template_slot& slot, T&& value) {
  if (slot.index == template_slot::whole_value) {
    tbl.insert_or_assign(slot.key, std::forward<T>(value));
    return;
  }
  auto arr = tbl.get(slot.key)->as_array();
  arr->replace(arr->cbegin() + static_cast<ptrdiff_t>(slot.index),
               std::forward<T>(value));
}

/// Puts a CSV field where `slot` is in `tbl`: a number or a boolean when it
/// reads as one and the key does not take strings, else the text.
void place_text(toml::table& tbl, const template_slot& slot,
                std::string_view text) {
  if (!takes_strings(slot.key) && !text.empty()) {
    // from_chars takes no '+', which a CSV writer may put before a number.
    bool plus = text.size() > 1 && text[0] == '+' && text[1] != '-';
    auto first = text.data() + (plus ? 1 : 0);
    auto last = text.data() + text.size();
    int64_t i = 0;
    auto ri = std::from_chars(first, last, i);
    if (ri.ec == std::errc{} && ri.ptr == last)
      return place(tbl, slot, i);
    double d = 0;
    auto rd = std::from_chars(first, last, d);
    if (rd.ec == std::errc{} && rd.ptr == last)
      return place(tbl, slot, d);
    if (text == "true" || text == "false")
      return place(tbl, slot, text == "true");
  }
  place(tbl, slot, std::string{text});
}

/// Appends `x` as text to `out`; false when it has no text form.
bool append_text(const toml::node& x, std::string& out) {
  if (auto s = x.as_string()) {
    out += s->get();
  } else if (auto i = x.as_integer()) {
    out += std::to_string(i->get());
  } else if (auto f = x.as_floating_point()) {
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof(buf), f->get());
    std::string_view num{buf, static_cast<size_t>(res.ptr - buf)};
    out += num;
    // As TOML writes a float: 80.0, not 80.
    if (num.find_first_not_of("-0123456789") == std::string_view::npos)
      out += ".0";
  } else if (auto b = x.as_boolean()) {
    out += b->get() ? "true" : "false";
  } else {
    return false;
  }
  return true;
}

/// The string of `slot` for this instance; sets `why` if a value has no text
/// form.
std::string joined(const graph_template& t, const template_slot& slot,
                   const std::vector<param_value>& values, std::string& why) {
  std::string out;
  for (const auto& piece : slot.pieces) {
    if (piece.param == template_piece::no_param) {
      out += piece.text;
      continue;
    }
    const auto& v = values[piece.param];
    if (v.toml == nullptr) {
      out += v.text;
    } else if (!append_text(*v.toml, out)) {
      why = "parameter '" + t.params[piece.param] + "' is "
            + toml_type_name(*v.toml) + ", which cannot be part of the string '"
            + slot.key + "'";
      return out;
    }
  }
  return out;
}

/// The name of node `n` for this instance, for messages: as written when it
/// cannot be expanded.
std::string expanded_name(const graph_template& t, const template_node& n,
                          const std::vector<param_value>& values) {
  for (const auto& slot : n.slots)
    if (slot.key == "name" && slot.index == template_slot::whole_value) {
      std::string why;
      auto name = joined(t, slot, values, why);
      return why.empty() ? name : n.name;
    }
  return n.name;
}

caf::error expand_node(const graph_template& t, const template_node& n,
                       const std::vector<param_value>& values,
                       const std::string& origin, const graph_file_reader& read,
                       node_spec& out) {
  toml::table tbl = *n.table;
  for (const auto& slot : n.slots) {
    if (slot.is_reference()) {
      const auto& v = values[slot.pieces.front().param];
      if (v.toml != nullptr)
        place(tbl, slot, *v.toml);
      else
        place_text(tbl, slot, v.text);
      continue;
    }
    std::string why;
    auto text = joined(t, slot, values, why);
    if (!why.empty())
      return file_error(origin,
                        "node '" + expanded_name(t, n, values) + "': " + why);
    place(tbl, slot, std::move(text));
  }
  auto name = tbl.get("name");
  if (!name->is_string())
    return file_error(origin, std::string{to_string(n.kind)} + " '" + n.name
                                + "' at line " + std::to_string(n.line)
                                + ": 'name' must be a string, not "
                                + toml_type_name(*name));
  return parse_node_table(n.kind, tbl, origin, t.dir, read, out);
}

} // namespace

caf::error expand_template(const graph_template& t,
                           const std::vector<param_value>& values,
                           const std::string& origin,
                           const graph_file_reader& read,
                           std::vector<node_spec>& out) {
  for (const auto& n : t.nodes) {
    node_spec spec;
    if (auto err = expand_node(t, n, values, origin, read, spec))
      return err;
    out.push_back(std::move(spec));
  }
  return caf::none;
}

} // namespace shoal
