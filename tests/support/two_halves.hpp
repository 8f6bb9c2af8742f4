// An input in two halves and the outputs it must give, for tests that do
// something to a cluster between two replays (a planned leave, a restart,
// a kill) and check that the second replay continues from the state the
// first left: its outputs must be exactly one node's over both halves, of
// the second half. Also the graph those tests share: windows (the tumbling
// and quantile ones of SPEC section 12 too), EWMA, deadband and rate
// state, a join across sensors and Lua `state`, so that a node that
// restarted cold would change the outputs. For the test's main thread.

#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace shoal::test_support {

/// Windows (rolling, quantile, z-score, tumbling), EWMA, deadband and rate
/// state, a join across sensors, and Lua models that count their firings
/// in `state`.
extern const char* stateful_graph;

/// The lines of `text` but its CSV header (`node,ts,value`), sorted.
std::vector<std::string> output_rows(const std::string& text);

struct two_halves {
  /// The two halves as files (the second from ts 100000 on).
  std::string first;
  std::string later;
  /// One node's outputs over both halves in one replay, those the second
  /// half causes (after the first's largest timestamp, up to its own: a
  /// replay into a running graph does not end its stream), sorted; empty
  /// if that run failed (a test failure).
  std::vector<std::string> want;
};

/// Writes two halves of `rows` random rows each (seeds `seed` and
/// `seed + 1`, every kind of faulty row) for the graph in `graph` under
/// names starting with `prefix`, and runs the reference.
two_halves make_two_halves(const std::string& graph, uint64_t seed, int rows,
                           const std::string& prefix);

} // namespace shoal::test_support
