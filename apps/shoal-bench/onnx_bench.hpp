// The ONNX model benchmark for shoal-bench.
//
// Times Shoal's `onnx` node function, one firing at a time, on random rows.
// Debian ships no ONNX runtime, so there is nothing to compare with: the
// benchmark prints Shoal's figures only, and says so. Single-threaded; call
// from one thread at a time.

#pragma once

#include <cstdio>
#include <string>

namespace shoal {

/// Times the ONNX model at `model_path` and prints evaluations/s and ns/eval
/// to `out`, with the model's size and steps; prints the reason instead if
/// the model does not load.
void bench_onnx(const std::string& model_path, std::FILE* out);

} // namespace shoal
