#include "tests/support/reference_run.hpp"

#include <gtest/gtest.h>
#include <utility>

#include "runtime/core/errc.hpp"

namespace shoal {

void PrintTo(const output_row& x, std::ostream* os) {
  *os << '(' << x.node << ", " << x.ts << ", " << x.value << ')';
}

} // namespace shoal

namespace shoal::test_support {

node_spec sensor(std::string name, bool emit) {
  node_spec n;
  n.name = std::move(name);
  n.kind = node_kind::sensor;
  n.emit = emit;
  return n;
}

node_spec feature(std::string name, std::string fn, std::string input,
                  int64_t window, bool emit) {
  node_spec n;
  n.name = std::move(name);
  n.kind = node_kind::feature;
  n.fn = std::move(fn);
  n.needs = {std::move(input)};
  n.window = window;
  n.emit = emit;
  return n;
}

node_spec linear(std::string name, std::vector<std::string> needs,
                 std::vector<double> weights, double bias,
                 std::vector<std::string> trigger) {
  node_spec n;
  n.name = std::move(name);
  n.kind = node_kind::model;
  n.fn = "linear";
  n.needs = std::move(needs);
  n.weights = std::move(weights);
  n.bias = bias;
  n.trigger = std::move(trigger);
  n.emit = true;
  return n;
}

reference_evaluator make_eval(const graph_spec& g, int64_t lateness) {
  auto ev = reference_evaluator::make(g, lateness);
  EXPECT_TRUE(ev) << describe(ev.error());
  return std::move(*ev);
}

run_result run(const graph_spec& g, const std::vector<sample>& input,
               int64_t lateness) {
  auto ev = make_eval(g, lateness);
  for (const auto& s : input)
    ev.offer(s.sensor, s.ts, s.value);
  ev.finish();
  return ev.take_result();
}

} // namespace shoal::test_support
