#include "runtime/http/node_metrics.hpp"

#include <algorithm>

#include "runtime/core/errc.hpp"

namespace shoal {

namespace {

/// What ranks a node for `node_metrics_top`.
uint64_t trouble(const node_work& n) {
  return n.kind == node_kind::sensor ? n.samples.rejected_total()
                                     : n.counts.errors;
}

} // namespace

bool glob_match(std::string_view pattern, std::string_view name) {
  // Iterative, with one backtrack point: linear in practice, never
  // exponential on patterns with many stars.
  size_t p = 0;
  size_t n = 0;
  size_t star = std::string_view::npos;
  size_t resume = 0;
  while (n < name.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
      ++p;
      ++n;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*')
    ++p;
  return p == pattern.size();
}

std::vector<node_work> select_node_metrics(std::vector<node_work> all,
                                           const node_metrics_options& opts) {
  std::vector<node_work> out;
  if (!opts.enabled())
    return out;
  std::sort(all.begin(), all.end(), [](const node_work& a, const node_work& b) {
    return a.name < b.name;
  });
  std::vector<bool> taken(all.size(), false);
  for (size_t i = 0; i < all.size() && out.size() < node_metrics_cap; ++i)
    for (auto& pattern : opts.patterns)
      if (glob_match(pattern, all[i].name)) {
        taken[i] = true;
        out.push_back(all[i]);
        break;
      }
  std::vector<size_t> rest;
  for (size_t i = 0; i < all.size(); ++i)
    if (!taken[i] && trouble(all[i]) > 0)
      rest.push_back(i);
  // Most trouble first; `all` is sorted by name, so stable keeps ties so.
  std::stable_sort(rest.begin(), rest.end(), [&](size_t a, size_t b) {
    return trouble(all[a]) > trouble(all[b]);
  });
  auto room = node_metrics_cap - out.size();
  for (size_t k = 0; k < rest.size() && k < opts.top && k < room; ++k)
    out.push_back(all[rest[k]]);
  std::sort(out.begin(), out.end(), [](const node_work& a, const node_work& b) {
    return a.name < b.name;
  });
  return out;
}

caf::expected<node_metrics_options>
read_node_metrics_options(const toml::table* tbl, const std::string& file) {
  node_metrics_options opts;
  if (tbl == nullptr)
    return opts;
  auto fail = [&](const std::string& key, const std::string& reason) {
    return make_error(errc::invalid_config,
                      file + ": [http] '" + key + "': " + reason);
  };
  for (const auto& [key, value] : *tbl)
    if (key.str() != "node_metrics" && key.str() != "node_metrics_top")
      return make_error(errc::invalid_config,
                        file + ": [http]: unknown key '"
                          + std::string{key.str()}
                          + "' (allowed: node_metrics node_metrics_top)");
  if (auto x = tbl->get("node_metrics")) {
    auto arr = x->as_array();
    if (arr == nullptr)
      return fail("node_metrics", "must be an array of node names or globs");
    for (size_t i = 0; i < arr->size(); ++i) {
      auto str = (*arr)[i].as_string();
      if (str == nullptr || str->get().empty())
        return fail("node_metrics", "entry " + std::to_string(i + 1)
                                      + " must be a non-empty string");
      opts.patterns.push_back(str->get());
    }
  }
  if (auto x = tbl->get("node_metrics_top")) {
    auto n = x->as_integer();
    if (n == nullptr || n->get() < 0
        || n->get() > static_cast<int64_t>(node_metrics_cap))
      return fail("node_metrics_top", "must be an integer from 0 to "
                                        + std::to_string(node_metrics_cap));
    opts.top = static_cast<size_t>(n->get());
  }
  return opts;
}

} // namespace shoal
