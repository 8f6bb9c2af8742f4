// Small graphs built in code, and runs of the reference evaluator over
// samples given in code, for tests of the evaluator and of the semantics it
// defines.
//
// Everything returns values; nothing is shared between calls.

#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "runtime/core/output_row.hpp"
#include "runtime/graph/graph_spec.hpp"
#include "runtime/semantics/reference_evaluator.hpp"

namespace shoal {

/// Lets failing assertions print rows readably.
void PrintTo(const output_row& x, std::ostream* os);

} // namespace shoal

namespace shoal::test_support {

/// A sensor node.
node_spec sensor(std::string name, bool emit = false);

/// A feature node computing `fn` over `input`, with a count window of
/// `window` samples where `fn` takes one.
node_spec feature(std::string name, std::string fn, std::string input,
                  int64_t window = 0, bool emit = true);

/// An emitting linear model with identity link.
node_spec linear(std::string name, std::vector<std::string> needs,
                 std::vector<double> weights, double bias = 0,
                 std::vector<std::string> trigger = {});

/// One input row.
struct sample {
  const char* sensor;
  int64_t ts;
  double value;
};

/// Makes the evaluator of `g`; fails the test if `g` is invalid.
reference_evaluator make_eval(const graph_spec& g, int64_t lateness = 0);

/// Offers `input` in order to a fresh evaluator of `g`, finishes and returns
/// the result.
run_result run(const graph_spec& g, const std::vector<sample>& input,
               int64_t lateness = 0);

} // namespace shoal::test_support
