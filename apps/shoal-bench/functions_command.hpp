// `shoal-bench functions [--samples N] [--json]`: what each built-in
// feature function costs per sample (docs/performance.md, "Built-in
// functions").
//
// Calls each function as a graph builds it (`make_fn` on a feature spec),
// single-threaded and outside any actor, over N pseudo-random samples one
// nanosecond apart, and prints nanoseconds per sample; the windowed ones
// at windows of 10, 1,000 and 100,000 samples, which shows how their cost
// grows with the window (a `rolling_quantile` that sorted its window would
// grow linearly; it should grow with log N).

#pragma once

namespace shoal {

/// Runs the function benchmark; `argv` starts at the word "functions".
/// Returns the exit code (2 on bad arguments).
int functions_command(int argc, char** argv);

} // namespace shoal
