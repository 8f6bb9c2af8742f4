// Which nodes a member's /metrics shows one by one, as the operator chose.
//
// A graph has thousands of nodes; a series per node and figure by default
// would swamp Prometheus, so per-node series are opt-in (`[http]` in
// NODE.toml, docs/http.md): `node_metrics` names nodes or globs (`*` any
// run of characters, `?` one), and `node_metrics_top = N` adds the N nodes
// of this member with the most errors (sensors: rejected samples), ties by
// name. Whatever is chosen, at most `node_metrics_cap` nodes are shown, the
// named ones first, so the number of series stays bounded. Pure.

#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <toml++/toml.h>
#include <vector>

#include "caf/expected.hpp"

#include "runtime/http/member_work.hpp"

namespace shoal {

/// The most nodes a member's /metrics shows one by one.
constexpr size_t node_metrics_cap = 1000;

struct node_metrics_options {
  /// Node names or globs.
  std::vector<std::string> patterns;
  /// The nodes with the most errors to show too.
  size_t top = 0;

  bool enabled() const {
    return !patterns.empty() || top > 0;
  }
};

/// Whether `name` matches the glob `pattern` (`*`, `?`; no escapes).
bool glob_match(std::string_view pattern, std::string_view name);

/// The nodes of `all` to show: those a pattern matches, then the top ones
/// by errors, at most `node_metrics_cap`, sorted by name.
std::vector<node_work> select_node_metrics(std::vector<node_work> all,
                                           const node_metrics_options& opts);

/// Reads the `[http]` table of NODE.toml `file` (keys `node_metrics` and
/// `node_metrics_top`; null: none); an `errc::invalid_config` error naming
/// the file and key otherwise.
caf::expected<node_metrics_options>
read_node_metrics_options(const toml::table* tbl, const std::string& file);

} // namespace shoal
