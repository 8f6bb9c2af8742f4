// Model evaluation benchmarks for shoal-bench.
//
// Each function loads a model, times Shoal's node function on it against the
// model's own library on the same rows, checks that both agree, and prints
// one line per contender to `out`. They link the reference libraries (the
// XGBoost C API), which is why they live in `shoal_bench_commands`, apart from
// the product's libraries. Single-threaded; call from one thread at a time.

#pragma once

#include <cstdio>
#include <string>

namespace shoal {

/// Times the XGBoost model at `model_path` (JSON or UBJSON): Shoal's
/// `xgboost` node function, one firing at a time, against XGBoost's C API
/// predicting one row per `XGBoosterPredictFromDense` call, on the same
/// random rows (5% missing). Prints evaluations/s and ns/eval of both (the
/// fastest of ten 50 ms rounds each, so that other load on the machine
/// counts as little as possible) and whether their predictions are equal;
/// prints the reason instead if the model does not load.
void bench_xgboost(const std::string& model_path, std::FILE* out);

} // namespace shoal
