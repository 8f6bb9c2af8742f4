// The `checkpoint-store` run of shoal-bench: what the checkpoint store
// (runtime/state/checkpoint_store.hpp) costs at a member's scale.
//
// `bench_checkpoint_store` opens a store in `dir`, writes a full checkpoint
// of `nodes` states of `state_bytes` random bytes each (id 1), then
// `incrementals` checkpoints (ids 2, 3, ...) that each rewrite a
// `changed_share` of the nodes (a different slice each time, so that later
// nodes have history), reads every node back as of the last one, commits
// it, prunes to it, and closes and opens the store again (as a restarting
// member does: RocksDB replays its log into files), reading everything once
// more. Each write and the commit are synced (one fsync per call), as a
// member writes them. States are made before the clock starts.
// Every figure is wall-clock time of one call; an incremental figure is the
// median of its calls. Call from one thread at a time.

#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "caf/expected.hpp"

namespace shoal {

struct checkpoint_bench_options {
  /// The store's directory (created if missing; it must not hold a store
  /// with checkpoints already).
  std::string dir;
  size_t nodes = 100'000;
  size_t state_bytes = 200;
  double changed_share = 0.1;
  size_t incrementals = 5;
};

struct checkpoint_bench_figures {
  size_t nodes = 0;
  /// States written by each incremental checkpoint.
  size_t changed = 0;
  double full_write_s = 0;
  /// Median, smallest and largest time of the incremental writes.
  double incremental_write_s = 0;
  double incremental_min_s = 0;
  double incremental_max_s = 0;
  /// Reading every node as of the last checkpoint, before the prune.
  double read_all_s = 0;
  /// Committing the last checkpoint (a synced write of a few bytes).
  double commit_s = 0;
  double prune_s = 0;
  /// Reading every node again after the prune.
  double read_after_prune_s = 0;
  /// Closing and opening the store again, and reading every node after.
  double reopen_s = 0;
  double read_after_reopen_s = 0;
  /// `bytes_on_disk()` after the full checkpoint, after the incremental
  /// ones, after the prune and after the reopen.
  uint64_t bytes_full = 0;
  uint64_t bytes_incremental = 0;
  uint64_t bytes_pruned = 0;
  uint64_t bytes_reopened = 0;
  /// The files in the directory (SST files, WAL, RocksDB's own) at the end.
  uint64_t dir_bytes = 0;
};

/// Runs the benchmark; errors are the store's, or a read that did not give
/// back every node.
caf::expected<checkpoint_bench_figures>
bench_checkpoint_store(const checkpoint_bench_options& opts);

} // namespace shoal
