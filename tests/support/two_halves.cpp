#include "tests/support/two_halves.hpp"

#include <algorithm>
#include <gtest/gtest.h>

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
  for (auto& line : output_rows(read_file(both_out)))
    if (std::stoll(line.substr(line.find(',') + 1)) >= 90000)
      out.want.push_back(line);
  return out;
}

} // namespace shoal::test_support
