#include "tests/support/random_graph.hpp"

#include <cstdio>
#include <random>

#include "runtime/functions/fn_factory.hpp"
#include "runtime/graph/graph_validator.hpp"

namespace shoal::test_support {

namespace {

const char* lua_features[] = {
  // Sum of any number of inputs.
  "return function(...) local s = 0 for i = 1, select('#', ...) do "
  "s = s + select(i, ...) end return s end",
  // Uses state, and returns nothing every third call.
  "return function(a, ...) state.n = (state.n or 0) + 1 "
  "if state.n % 3 == 0 then return nil end return a * 0.5 + state.n end",
  // Fails above a threshold; uses the integer timestamp.
  "return function(a, ...) if a > 80 then error('too big: ' .. a) end "
  "return a + ts % 7 end",
};

const char* builtins[]
  = {"rolling_mean", "rolling_sum", "rolling_min", "rolling_max",
     "rolling_std",  "ewma",        "diff",        "rate"};

const char* cleaning_fns[]
  = {"clip",         "scale",          "deadband",     "rolling_quantile",
     "zscore",       "tumbling_mean",  "tumbling_sum", "tumbling_min",
     "tumbling_max", "tumbling_count", "tumbling_last"};

/// Turns built-in feature `n` into one of SPEC section 12's, with random
/// parameters from `rng`.
void make_cleaning(node_spec& n, std::mt19937_64& rng) {
  auto pick = [&](int lo, int hi) {
    return std::uniform_int_distribution<int>{lo, hi}(rng);
  };
  n.window = 0;
  n.window_ns = 0;
  n.alpha = 0;
  n.fn = cleaning_fns[pick(0, 10)];
  if (n.fn == "clip") {
    // Values run 0..100: bounds inside, one side or both.
    int sides = pick(0, 2);
    if (sides != 1)
      n.lo = pick(0, 40);
    if (sides != 0)
      n.hi = pick(50, 90);
  } else if (n.fn == "scale") {
    if (pick(0, 1) == 1)
      n.mul = pick(-30, 30) / 10.0;
    if (pick(0, 1) == 1)
      n.add = pick(-50, 50);
  } else if (n.fn == "deadband") {
    n.band = pick(0, 3) * 10;
  } else if (n.fn == "rolling_quantile" || n.fn == "zscore") {
    if (n.fn == "rolling_quantile")
      n.q = pick(0, 4) / 4.0;
    if (pick(0, 1) == 1)
      n.window = pick(1, 6);
    else
      n.window_ns = pick(1, 40);
  } else {
    // Tumbling: windows of a few samples up to many.
    n.window_ns = pick(1, 4) == 1 ? 1 : pick(2, 60);
  }
}

} // namespace

graph_spec random_graph(uint64_t seed, const random_graph_options& opts) {
  std::mt19937_64 rng{seed};
  std::mt19937_64 cleaning_rng{seed ^ 0xc1ea'0000ULL};
  auto pick = [&](int lo, int hi) {
    return std::uniform_int_distribution<int>{lo, hi}(rng);
  };
  auto chance = [&](double p) {
    return std::uniform_real_distribution<double>{0, 1}(rng) < p;
  };
  graph_spec g;
  int sensors = pick(opts.min_sensors, opts.max_sensors);
  for (int i = 0; i < sensors; ++i) {
    node_spec n;
    n.name = "s" + std::to_string(i);
    n.emit = chance(0.2);
    g.nodes.push_back(n);
  }
  auto random_inputs = [&](size_t k) {
    std::vector<std::string> needs;
    for (size_t i = 0; i < k; ++i)
      needs.push_back(g.nodes[static_cast<size_t>(
                                pick(0, static_cast<int>(g.nodes.size()) - 1))]
                        .name);
    return needs;
  };
  auto random_trigger = [&](node_spec& n) {
    if (n.needs.size() > 1 && chance(0.4))
      n.trigger.push_back(n.needs[static_cast<size_t>(
        pick(0, static_cast<int>(n.needs.size()) - 1))]);
  };
  int features = pick(1, opts.max_features);
  for (int i = 0; i < features; ++i) {
    node_spec n;
    n.name = "f" + std::to_string(i);
    n.kind = node_kind::feature;
    n.emit = chance(0.5);
    if (chance(0.3)) {
      n.fn = "lua";
      n.code = lua_features[pick(0, 2)];
      n.needs = random_inputs(static_cast<size_t>(pick(1, 3)));
      random_trigger(n);
    } else {
      n.fn = builtins[pick(0, 7)];
      n.needs = random_inputs(1);
      if (n.fn.rfind("rolling_", 0) == 0) {
        if (chance(0.5))
          n.window = pick(1, 5);
        else
          n.window_ns = pick(1, 40);
      } else if (n.fn == "ewma") {
        n.alpha = pick(1, 10) / 10.0;
      }
      if (opts.cleaning
          && std::uniform_int_distribution<int>{0, 9}(cleaning_rng) < 4)
        make_cleaning(n, cleaning_rng);
    }
    g.nodes.push_back(n);
  }
  int models = pick(1, opts.max_models);
  for (int i = 0; i < models; ++i) {
    node_spec n;
    n.name = "m" + std::to_string(i);
    n.kind = node_kind::model;
    n.emit = chance(0.8);
    n.needs = random_inputs(static_cast<size_t>(pick(1, 4)));
    random_trigger(n);
    if (chance(0.25)) {
      n.fn = "lua";
      n.code = lua_features[pick(0, 2)];
    } else {
      n.fn = "linear";
      for (size_t k = 0; k < n.needs.size(); ++k)
        n.weights.push_back(pick(-20, 20) / 10.0);
      // Now and then a weight that overflows to inf: a counted error.
      if (chance(0.1))
        n.weights[0] = 1e308;
      n.bias = pick(-10, 10) / 10.0;
      n.link = chance(0.5) ? "logistic" : "identity";
    }
    g.nodes.push_back(n);
  }
  auto check = [](const node_spec& n) -> caf::error {
    auto fn = make_fn(n);
    return fn ? caf::error{} : std::move(fn.error());
  };
  // Random choices only pick existing (earlier) nodes, so this never fails;
  // it sorts the graph topologically.
  validate_graph(g, check);
  return g;
}

std::string random_input(const graph_spec& g, uint64_t seed, int rows,
                         int64_t start) {
  std::mt19937_64 rng{seed ^ 0x5eedULL};
  auto pick = [&](int lo, int hi) {
    return std::uniform_int_distribution<int>{lo, hi}(rng);
  };
  std::vector<std::string> sensors;
  for (auto& n : g.nodes)
    if (n.kind == node_kind::sensor)
      sensors.push_back(n.name);
  std::string out = "sensor,ts,value\n";
  int64_t ts = start;
  for (int i = 0; i < rows; ++i) {
    // Mostly forward in small steps, with equal timestamps and jumps back.
    int step = pick(0, 9);
    if (step < 2)
      ts += 0;
    else if (step < 9)
      ts += pick(1, 5);
    else
      ts -= pick(1, 8);
    auto& sensor = sensors[static_cast<size_t>(
      pick(0, static_cast<int>(sensors.size()) - 1))];
    double value = pick(0, 10000) / 100.0;
    switch (pick(0, 39)) {
      case 0: out += "garbage row\n"; continue;
      case 1: out += sensor + "," + std::to_string(ts) + ",abc\n"; continue;
      case 2: out += "nosuch," + std::to_string(ts) + ",1\n"; continue;
      case 3: out += sensor + "," + std::to_string(ts) + ",nan\n"; continue;
      case 4: out += sensor + "," + std::to_string(ts) + ",inf\n"; continue;
      default: break;
    }
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.2f", value);
    out += sensor + "," + std::to_string(ts) + "," + buf + "\n";
  }
  return out;
}

} // namespace shoal::test_support
