// The graph as plain data: what the TOML file says, after parsing.
//
// A `graph_spec` is a value: it owns its nodes, has no references into files
// or actors, and every part has an `inspect()` so that it can cross the
// network. Lua code read from a `path` is stored inline in `code`, and the
// bytes of a model file in `content` (read by `read_model_files`), so a node
// spec is self-contained: a node is built from them, and `path` only names
// the file in messages. A graph on the wire carries each distinct content
// once; a spec that arrived over the network is marked `remote`, and its
// `path` is never opened (SPEC section 9). After `validate_graph` succeeds
// the nodes are in topological order (every node after all of its `needs`).

#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "caf/error.hpp"
#include "caf/meta/load_callback.hpp"

#include "runtime/graph/file_content.hpp"

namespace shoal {

enum class node_kind : uint8_t { sensor, feature, model };

/// Returns "sensor", "feature" or "model".
const char* to_string(node_kind x);

/// One node of the graph as declared. Fields that do not apply to a node's
/// kind or function keep their defaults.
struct node_spec {
  /// The value of an optional number parameter that the graph does not give.
  static constexpr double not_given = std::numeric_limits<double>::quiet_NaN();

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
  /// Parameters of the cleaning and windowing functions (SPEC section 12);
  /// NaN when not given (the loader refuses a NaN written in the file).
  /// `clip` bounds, `scale` factor and offset, `deadband` band and
  /// `rolling_quantile` quantile.
  double lo = not_given;
  double hi = not_given;
  double mul = not_given;
  double add = not_given;
  double band = not_given;
  double q = not_given;
  /// Linear models: one weight per input, the bias and the link function.
  std::vector<double> weights;
  double bias = 0;
  std::string link = "identity";
  /// Lua source of `lua` features and models (inline or read from `path`).
  std::string code;
  /// Model or Lua file as resolved against the graph file (absolute), where
  /// the graph was loaded. Names the file in messages; never opened for a
  /// `remote` spec.
  std::string path;
  /// Model nodes (xgboost, onnx): the bytes of the file at `path`, read
  /// where the graph was loaded. The model is built from these.
  file_content content;
  /// The graph file that declared this node, for error messages; for a
  /// node of a template instance, also the template and the instance
  /// ("g.toml: template 'pump', pumps.csv line 4").
  std::string file;
  /// Set when the spec arrived over the network (by deserialization only,
  /// never sent): a model without `content` is then an error, not a read.
  bool remote = false;

  friend bool operator==(const node_spec& x, const node_spec& y);
  friend bool operator!=(const node_spec& x, const node_spec& y) {
    return !(x == y);
  }
};

/// The parameters of SPEC section 12 as bits: CAF's portable encoding of a
/// double does not keep the NaN that stands for "not given".
std::vector<uint64_t> param_bits(const node_spec& x);

/// Takes back what `param_bits` gave; an `errc::invalid_input` error if it
/// has the wrong length.
caf::error set_param_bits(node_spec& x, const std::vector<uint64_t>& bits);

/// Without `content`, which its graph carries (a spec sent alone arrives
/// without it); whatever arrives is `remote`.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, node_spec& x) {
  std::vector<uint64_t> params;
  if constexpr (!Inspector::writes_state)
    params = param_bits(x);
  return f(x.name, x.kind, x.fn, x.needs, x.trigger, x.emit, x.unit, x.window,
           x.window_ns, x.alpha, params, x.weights, x.bias, x.link, x.code,
           x.path, x.file,
           caf::meta::load_callback([&x, &params]() -> caf::error {
             x.remote = true;
             return set_param_bits(x, params);
           }));
}

/// A whole graph.
struct graph_spec {
  std::vector<node_spec> nodes;

  /// Returns the position of the node called `name`, if any (linear scan;
  /// build a `graph_index` for repeated look-ups).
  std::optional<size_t> find(std::string_view name) const;
};

/// The contents of a graph's nodes as they travel: each distinct content
/// once, and for each node the 1-based index of its own (0: none).
struct graph_files {
  std::vector<uint32_t> index;
  std::vector<file_content> contents;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, graph_files& x) {
  return f(x.index, x.contents);
}

/// The contents of `g`'s nodes, each distinct one once (buffers shared).
graph_files files_of(const graph_spec& g);

/// Gives the nodes of `g` their contents from `files` (which must match
/// `g`'s nodes); an `errc::invalid_input` error if it does not.
caf::error attach_files(graph_spec& g, graph_files& files);

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, graph_spec& x) {
  if constexpr (Inspector::writes_state) {
    graph_files files;
    return f(x.nodes, files, caf::meta::load_callback([&]() -> caf::error {
               return attach_files(x, files);
             }));
  } else {
    auto files = files_of(x);
    return f(x.nodes, files);
  }
}

} // namespace shoal
