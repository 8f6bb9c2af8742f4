// `shoal-bench plant --graph G.toml --input IN.csv [options]`: writes the
// synthetic plant (synthetic_graph.hpp) as a graph file and its samples
// (synthetic_samples.hpp) as an input CSV, for runs outside shoal-bench:
// real cluster members (scripts/bench-checkpoints), `shoal-node --replay`.
// The options are shoal-bench's own (--sensors, --features-per-sensor,
// --models-per-sensor, --layers, --join-fanin, --lua-share, --seed,
// --samples, --rate); the same options give the same files as the graph and
// samples that `shoal-bench replay` runs. Prints what it wrote to stdout
// (`plant: 100000 nodes (10000 sensors) in G.toml, 200000 samples in
// IN.csv`).
//
// Exit codes: 0 ok; 1 a file could not be written; 2 bad usage.

#pragma once

namespace shoal {

/// Runs the command; `argv` starts after the word "plant". Returns the exit
/// code.
int plant_command(int argc, char** argv);

} // namespace shoal
