// The replay summary printed on stderr (SPEC section 6).

#pragma once

#include <cstdio>
#include <string>

#include "actors/deploy/local_replay.hpp"
#include "runtime/graph/graph_spec.hpp"

namespace shoal {

/// Prints samples accepted and rejected by reason (with the first malformed
/// line numbers), firings, outputs, errors per failing node, wall time and
/// rates.
void print_summary(std::FILE* out, const graph_spec& g,
                   const std::string& input, const replay_summary& s,
                   size_t threads);

} // namespace shoal
