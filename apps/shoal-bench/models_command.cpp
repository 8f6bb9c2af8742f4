#include "apps/shoal-bench/models_command.hpp"

#include <cstdio>
#include <filesystem>
#include <string>

#include "apps/common/cli.hpp"
#include "apps/shoal-bench/model_bench.hpp"
#include "apps/shoal-bench/onnx_bench.hpp"

namespace shoal {

int models_command(int argc, char** argv) {
  std::string dir;
  CLI::App app{"model evaluations per second", "models"};
  prepare_cli(app, "shoal-bench");
  app.add_option("--dir", dir);
  const char* usage = "usage: shoal-bench models --dir DIR\n";
  auto outcome = parse_cli(app, argc, argv, "shoal-bench models", usage, usage);
  if (outcome.exit)
    return outcome.code;
  auto xgb = std::filesystem::path{dir} / "bench_xgb_100x6.json";
  auto mlp = std::filesystem::path{dir} / "bench_mlp_8_16_1.onnx";
  if (dir.empty() || !std::filesystem::exists(xgb)
      || !std::filesystem::exists(mlp)) {
    std::fprintf(stderr,
                 "shoal-bench models: needs --dir DIR with the benchmark "
                 "models; write them with\n  /usr/bin/python3 "
                 "tests/fixtures/make_bench_models.py --out DIR\n");
    return 2;
  }
  std::printf("XGBoost, 100 trees of depth 6 (%s):\n", xgb.c_str());
  bench_xgboost(xgb.string(), stdout);
  std::printf("ONNX, 8-16-1 MLP (%s):\n", mlp.c_str());
  bench_onnx(mlp.string(), stdout);
  return 0;
}

} // namespace shoal
