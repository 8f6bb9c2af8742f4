#include "apps/shoal-bench/synthetic_graph.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "runtime/core/errc.hpp"
#include "runtime/functions/fn_factory.hpp"
#include "runtime/graph/graph_validator.hpp"
#include "runtime/sim/sim_random.hpp"

namespace shoal {

namespace {

using sim_random::draw;
using sim_random::sub;
using sim_random::uniform;

/// A built-in feature: its function and parameters.
struct feature_template {
  const char* fn;
  int64_t window;
  int64_t window_ns;
  double alpha;
};

constexpr int64_t sec = sim_random::sec;

constexpr feature_template feature_templates[] = {
  {"rolling_mean", 10, 0, 0},      {"rolling_std", 0, 1 * sec, 0},
  {"rolling_max", 20, 0, 0},       {"ewma", 0, 0, 0.2},
  {"rolling_mean", 0, 5 * sec, 0}, {"diff", 0, 0, 0},
  {"rolling_std", 10, 0, 0},       {"rate", 0, 0, 0},
  {"rolling_max", 0, 2 * sec, 0},
};

constexpr size_t template_count = std::size(feature_templates);

/// Small Lua features: one stateless, one keeping a running mean in `state`.
constexpr const char* lua_features[] = {
  "return function(x) return 0.5 * x + 1 end",
  "return function(x)\n"
  "  state.n = (state.n or 0) + 1\n"
  "  state.s = (state.s or 0) + x\n"
  "  return state.s / state.n\n"
  "end",
};

// Tags of the random sub-streams.
constexpr uint64_t tag_weights = 1;
constexpr uint64_t tag_fanin = 2;

std::string sensor_name(size_t s) {
  return "s" + std::to_string(s);
}

std::string feature_name(size_t s, size_t j) {
  return sensor_name(s) + ".f" + std::to_string(j);
}

std::string model_name(size_t s, size_t j) {
  return sensor_name(s) + ".m" + std::to_string(j);
}

/// Sets the weights, bias and link of linear model `index` (global).
void set_linear(node_spec& m, size_t j, uint64_t seed, uint64_t index) {
  auto stream = sub(seed, tag_weights);
  auto k = static_cast<double>(m.needs.size());
  uint64_t n = index * 64;
  for (size_t i = 0; i < m.needs.size(); ++i)
    m.weights.push_back((2.0 * uniform(draw(stream, n++)) - 1.0) / k);
  m.bias = 0.2 * uniform(draw(stream, n++)) - 0.1;
  m.link = j % 2 == 1 ? "logistic" : "identity";
}

/// Picks `fanin` distinct sensors other than `s` for one model.
std::vector<size_t> pick_others(const synthetic_options& opts, size_t s,
                                uint64_t index) {
  auto stream = sub(opts.seed, tag_fanin);
  std::vector<size_t> picked;
  uint64_t n = index * 64;
  while (picked.size() < opts.join_fanin) {
    auto other
      = (s + 1 + draw(stream, n++) % (opts.sensors - 1)) % opts.sensors;
    if (std::find(picked.begin(), picked.end(), other) == picked.end())
      picked.push_back(other);
  }
  return picked;
}

} // namespace

caf::error check_synthetic_options(const synthetic_options& opts) {
  auto fail = [](const char* text) {
    return make_error(errc::invalid_config, text);
  };
  if (opts.sensors == 0)
    return fail("--sensors must be at least 1");
  if (opts.layers == 0)
    return fail("--layers must be at least 1");
  if (opts.models_per_sensor > 0 && opts.layers > opts.models_per_sensor)
    return fail("--layers must not exceed --models-per-sensor");
  if (opts.models_per_sensor > 0 && opts.layers > 1
      && opts.join_fanin >= opts.sensors)
    return fail("--join-fanin must be less than --sensors");
  if (opts.join_fanin > 32)
    return fail("--join-fanin must be at most 32");
  if (!(opts.lua_share >= 0.0 && opts.lua_share <= 1.0))
    return fail("--lua-share must be between 0 and 1");
  return caf::none;
}

size_t synthetic_node_count(const synthetic_options& opts) {
  return opts.sensors * (1 + opts.features_per_sensor + opts.models_per_sensor);
}

synthetic_options synthetic_for_nodes(synthetic_options opts, size_t nodes) {
  auto per_sensor = 1 + opts.features_per_sensor + opts.models_per_sensor;
  opts.sensors = std::max<size_t>(1, (nodes + per_sensor - 1) / per_sensor);
  return opts;
}

size_t synthetic_model_layer(const synthetic_options& opts, size_t j) {
  return j * opts.layers / opts.models_per_sensor;
}

caf::expected<graph_spec> make_synthetic_graph(const synthetic_options& opts) {
  if (auto err = check_synthetic_options(opts))
    return err;
  const auto sensors = opts.sensors;
  const auto per_f = opts.features_per_sensor;
  const auto per_m = opts.models_per_sensor;
  graph_spec g;
  g.nodes.reserve(synthetic_node_count(opts));
  for (size_t s = 0; s < sensors; ++s) {
    node_spec n;
    n.name = sensor_name(s);
    g.nodes.push_back(std::move(n));
  }
  // Exactly round(total * share) Lua features, evenly spread.
  const uint64_t total_f = sensors * per_f;
  const auto lua_count = static_cast<uint64_t>(
    std::llround(static_cast<double>(total_f) * opts.lua_share));
  for (size_t s = 0; s < sensors; ++s) {
    for (size_t j = 0; j < per_f; ++j) {
      uint64_t f = s * per_f + j;
      node_spec n;
      n.name = feature_name(s, j);
      n.kind = node_kind::feature;
      n.needs = {sensor_name(s)};
      if ((f + 1) * lua_count / total_f > f * lua_count / total_f) {
        n.fn = "lua";
        n.code = lua_features[f % std::size(lua_features)];
      } else {
        const auto& t = feature_templates[f % template_count];
        n.fn = t.fn;
        n.window = t.window;
        n.window_ns = t.window_ns;
        n.alpha = t.alpha;
      }
      g.nodes.push_back(std::move(n));
    }
  }
  // Models layer by layer, so that the order is already topological.
  std::vector<std::vector<size_t>> in_layer(opts.layers);
  for (size_t j = 0; j < per_m; ++j)
    in_layer[synthetic_model_layer(opts, j)].push_back(j);
  for (size_t k = 0; k < opts.layers; ++k) {
    for (size_t s = 0; s < sensors; ++s) {
      for (auto j : in_layer[k]) {
        uint64_t index = s * per_m + j;
        node_spec m;
        m.name = model_name(s, j);
        m.kind = node_kind::model;
        m.fn = "linear";
        m.emit = true;
        if (k == 0) {
          for (size_t f = 0; f < per_f; ++f)
            m.needs.push_back(feature_name(s, f));
          if (per_f == 0)
            m.needs.push_back(sensor_name(s));
        } else {
          const auto& below = in_layer[k - 1];
          for (auto i : below)
            m.needs.push_back(model_name(s, i));
          if (opts.join_fanin > 0)
            m.trigger = m.needs;
          auto stream = sub(opts.seed, tag_fanin + 1);
          uint64_t n = index * 64;
          for (auto other : pick_others(opts, s, index))
            m.needs.push_back(
              model_name(other, below[draw(stream, n++) % below.size()]));
        }
        set_linear(m, j, opts.seed, index);
        g.nodes.push_back(std::move(m));
      }
    }
  }
  auto check = [](const node_spec& n) -> caf::error {
    auto fn = make_fn(n);
    if (!fn)
      return std::move(fn.error());
    return caf::none;
  };
  if (auto err = validate_graph(g, check))
    return err;
  return g;
}

} // namespace shoal
