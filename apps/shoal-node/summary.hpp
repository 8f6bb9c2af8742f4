// The replay summary printed on stderr (SPEC section 6).

#pragma once

#include <cstdio>
#include <string>

#include "actors/deploy/local_replay.hpp"
#include "runtime/graph/graph_spec.hpp"

namespace shoal {

/// Prints samples accepted and rejected by reason (with the first malformed
/// line numbers), firings, outputs, errors per failing node, wall time and
/// rates; and, when no output was written, why (`why_no_outputs`).
void print_summary(std::FILE* out, const graph_spec& g,
                   const std::string& input, const replay_summary& s,
                   size_t threads);

/// Why a replay of `g` that came to `s` wrote no output, in words that say
/// what to check ("all 1000 samples were rejected: late 1000 (...)"); empty
/// when it wrote some.
std::string why_no_outputs(const graph_spec& g, const replay_summary& s);

} // namespace shoal
