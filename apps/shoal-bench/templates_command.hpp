// `shoal-bench templates [options]`: how long a graph of many devices of
// one template takes to load against the same graph written out
// (apps/shoal-bench/template_bench.hpp; the target: at most twice as long).
//
//   --devices N   10000 (rows of the device list)
//   --nodes N     20 (nodes of the template)
//   --reps R      3 (loads of each graph; the fastest counts)
//   --dir DIR     where the files go (default: a fresh directory under the
//                 temp directory, removed afterwards; a DIR given is kept)
//
// Prints one table, or with `--json` one JSON object. Exit codes: 0 ok; 1 a
// graph failed to load or the two differ; 2 bad usage. Figures:
// docs/performance.md, "Templates".

#pragma once

namespace shoal {

/// Runs the benchmark; `argv` starts after the word "templates". Returns
/// the exit code.
int templates_command(int argc, char** argv);

} // namespace shoal
