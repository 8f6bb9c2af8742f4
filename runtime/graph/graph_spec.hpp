// The graph as plain data: what the TOML file says, after parsing.
//
// A `graph_spec` is a value: it owns its nodes, has no references into files
// or actors, and every part has an `inspect()` so that it can cross the
// network unchanged. Lua code read from a `path` is stored inline in `code`,
// so a node spec is self-contained. After `validate_graph` succeeds the nodes
// are in topological order (every node after all of its `needs`).

#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shoal {

enum class node_kind : uint8_t { sensor, feature, model };

/// Returns "sensor", "feature" or "model".
const char* to_string(node_kind x);

/// One node of the graph as declared. Fields that do not apply to a node's
/// kind or function keep their defaults.
struct node_spec {
  std::string name;
  node_kind kind = node_kind::sensor;
  /// Feature: the built-in function or "lua". Model: the model kind
  /// (linear, xgboost, onnx, lua). Sensor: empty.
  std::string fn;
  /// Upstream nodes in argument order.
  std::vector<std::string> needs;
  /// The inputs whose outputs make the node fire; empty means all of them.
  std::vector<std::string> trigger;
  /// Whether outputs go to the sinks.
  bool emit = false;
  /// Sensors: informational unit.
  std::string unit;
  /// Count window (`window = N`); 0 when not given.
  int64_t window = 0;
  /// Time window in nanoseconds (`window_ns = W`); 0 when not given.
  int64_t window_ns = 0;
  /// `ewma` smoothing factor.
  double alpha = 0;
  /// Linear models: one weight per input, the bias and the link function.
  std::vector<double> weights;
  double bias = 0;
  std::string link = "identity";
  /// Lua source of `lua` features and models (inline or read from `path`).
  std::string code;
  /// Model or Lua file as resolved against the graph file (absolute).
  std::string path;
  /// The graph file that declared this node, for error messages.
  std::string file;

  friend bool operator==(const node_spec& x, const node_spec& y);
  friend bool operator!=(const node_spec& x, const node_spec& y) {
    return !(x == y);
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, node_spec& x) {
  return f(x.name, x.kind, x.fn, x.needs, x.trigger, x.emit, x.unit, x.window,
           x.window_ns, x.alpha, x.weights, x.bias, x.link, x.code, x.path,
           x.file);
}

/// A whole graph.
struct graph_spec {
  std::vector<node_spec> nodes;

  /// Returns the position of the node called `name`, if any (linear scan;
  /// build a `graph_index` for repeated look-ups).
  std::optional<size_t> find(std::string_view name) const;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, graph_spec& x) {
  return f(x.nodes);
}

} // namespace shoal
