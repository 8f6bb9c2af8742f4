// `shoal-bench models --dir DIR`: evaluations per second per model format.
//
// DIR holds the benchmark models written by the real libraries with
// `/usr/bin/python3 tests/fixtures/make_bench_models.py --out DIR`:
// `bench_xgb_100x6.json` (XGBoost, 100 trees of depth 6) and
// `bench_mlp_8_16_1.onnx` (an 8-16-1 MLP). Prints Shoal's figures side by
// side with the library's own per-row predict where Debian has the library.

#pragma once

namespace shoal {

/// Runs the model benchmarks; `argv` starts at the word "models".
/// Returns the exit code (2 on bad arguments or missing models).
int models_command(int argc, char** argv);

} // namespace shoal
