#include "tests/support/two_halves.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <gtest/gtest.h>
#include <limits>
#include <set>
#include <sstream>

#include "runtime/core/errc.hpp"
#include "runtime/graph/graph_load.hpp"
#include "tests/support/process.hpp"
#include "tests/support/random_graph.hpp"
#include "tests/support/temp_files.hpp"

namespace shoal::test_support {

const char* stateful_graph = R"(
[[sensor]]
name = "p1.temp"
[[sensor]]
name = "p2.temp"
[[sensor]]
name = "p3.flow"
[[feature]]
name = "p1.mean"
fn = "rolling_mean"
needs = ["p1.temp"]
window = 4
[[feature]]
name = "p2.ewma"
fn = "ewma"
needs = ["p2.temp"]
alpha = 0.3
emit = true
[[feature]]
name = "p3.rate"
fn = "rate"
needs = ["p3.flow"]
[[feature]]
name = "p1.q"
fn = "rolling_quantile"
needs = ["p1.temp"]
q = 0.75
window = 5
emit = true
[[feature]]
name = "p2.tumble"
fn = "tumbling_mean"
needs = ["p2.temp"]
window_ns = 50
emit = true
[[feature]]
name = "p3.z"
fn = "zscore"
needs = ["p3.flow"]
window = 6
emit = true
[[feature]]
name = "p1.db"
fn = "deadband"
needs = ["p1.temp"]
band = 0.5
emit = true
[[model]]
name = "p3.count"
kind = "lua"
needs = ["p3.flow"]
code = "return function(x) state.n = (state.n or 0) + 1 return x + state.n end"
[[model]]
name = "m.join"
kind = "linear"
needs = ["p1.mean", "p2.ewma", "p3.rate"]
weights = [0.5, -0.25, 2.0]
bias = 1.0
trigger = ["p1.mean"]
[[model]]
name = "m.lua"
kind = "lua"
needs = ["m.join", "p3.flow"]
code = "return function(a, b) state.n = (state.n or 0) + 1 if state.n % 5 == 0 then return nil end return a * 0.1 + b + state.n end"
)";

std::vector<std::string> output_rows(const std::string& text) {
  auto xs = sorted_lines(text);
  xs.erase(std::remove(xs.begin(), xs.end(), "node,ts,value"), xs.end());
  return xs;
}

namespace {

/// The largest timestamp of a row of `csv` that a replay source accepts: a
/// sensor of `g`, an integer time and a finite value.
int64_t largest_accepted_ts(const graph_spec& g, const std::string& csv) {
  std::set<std::string> sensors;
  for (auto& n : g.nodes)
    if (n.kind == node_kind::sensor)
      sensors.insert(n.name);
  int64_t t = std::numeric_limits<int64_t>::min();
  std::istringstream lines{csv};
  std::string line;
  std::getline(lines, line);
  while (std::getline(lines, line)) {
    auto a = line.find(',');
    auto b = line.find(',', a == std::string::npos ? a : a + 1);
    if (a == std::string::npos || b == std::string::npos
        || sensors.count(line.substr(0, a)) == 0)
      continue;
    char* end = nullptr;
    auto ts_text = line.substr(a + 1, b - a - 1);
    auto ts = std::strtoll(ts_text.c_str(), &end, 10);
    if (ts_text.empty() || *end != '\0')
      continue;
    auto value_text = line.substr(b + 1);
    auto v = std::strtod(value_text.c_str(), &end);
    if (value_text.empty() || *end != '\0' || !std::isfinite(v))
      continue;
    t = std::max<int64_t>(t, ts);
  }
  return t;
}

} // namespace

two_halves make_two_halves(const std::string& graph, uint64_t seed, int rows,
                           const std::string& prefix) {
  two_halves out;
  auto g = load_graph(graph);
  if (!g) {
    ADD_FAILURE() << graph << ": " << describe(g.error());
    return out;
  }
  auto first = random_input(*g, seed, rows);
  auto later = random_input(*g, seed + 1, rows, 100000);
  out.first = write_temp_file(prefix + "_input1.csv", first);
  out.later = write_temp_file(prefix + "_input2.csv", later);
  auto both = write_temp_file(prefix + "_both.csv",
                              first + later.substr(later.find('\n') + 1));
  auto both_out = write_temp_file(prefix + "_both_out.csv", "");
  auto single = run_command(binary("shoal-node") + " --graph " + graph
                            + " --replay " + both + " --out " + both_out);
  if (single.exit_code != 0) {
    ADD_FAILURE() << single.output;
    return out;
  }
  // The second replay's outputs: those after the first file's largest
  // accepted timestamp T1, where the first replay left every sensor's
  // watermark (a tumbling window open at T1 closes in the second), up to
  // the second file's T2 (the stream goes on after a replay: a window open
  // at T2 closes only with later samples, not at an end of stream).
  auto t1 = largest_accepted_ts(*g, first);
  auto t2 = largest_accepted_ts(*g, later);
  for (auto& line : output_rows(read_file(both_out))) {
    auto ts = std::stoll(line.substr(line.find(',') + 1));
    if (ts > t1 && ts <= t2)
      out.want.push_back(line);
  }
  return out;
}

} // namespace shoal::test_support
