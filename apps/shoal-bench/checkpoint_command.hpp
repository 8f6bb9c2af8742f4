// `shoal-bench checkpoint-store [options]`: what the checkpoint store costs
// (apps/shoal-bench/checkpoint_bench.hpp), printed as a table.
//
//   --nodes N          100000 (states of the full checkpoint)
//   --state-bytes B    200
//   --changed X        0.1 (share of the nodes each incremental one writes)
//   --checkpoints C    5 (incremental checkpoints after the full one)
//   --dir DIR          where the store goes (default: a fresh directory under
//                      the temp directory, removed afterwards; a DIR given
//                      is kept, and must not hold checkpoints already)
//
// Exit codes: 0 ok; 1 the store failed (the message says why, e.g. another
// process holds DIR); 2 bad usage. Figures: docs/performance.md,
// "Checkpoint store".

#pragma once

namespace shoal {

/// Runs the benchmark; `argv` starts at the word "checkpoint-store".
/// Returns the exit code.
int checkpoint_store_command(int argc, char** argv);

} // namespace shoal
