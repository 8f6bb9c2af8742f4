// `shoal-bench checkpoint-dir DIR [--json]`: what a member's checkpoint
// store holds (runtime/state/checkpoint_store.hpp), for
// scripts/bench-checkpoints: the latest committed checkpoint, the size of
// its metadata, and per owner (the member itself and the member whose copy
// it keeps) the nodes and the bytes of their states and keys as of that
// checkpoint, and the bytes RocksDB counts on disk once the store is open.
// A state's bytes are what a round writes for a node whose state changed
// (plus RocksDB's record overhead), at its member and again at the copy.
//
// Opens the store, so the member must have stopped (RocksDB locks the
// directory); opening replays the store's log into a table file, which is
// why the bytes on disk after opening are smaller than while the member ran.
//
// Exit codes: 0 ok; 1 the store cannot be opened or read; 2 bad usage.

#pragma once

namespace shoal {

/// Runs the command; `argv` starts at the word "checkpoint-dir".
/// Returns the exit code.
int checkpoint_dir_command(int argc, char** argv);

} // namespace shoal
