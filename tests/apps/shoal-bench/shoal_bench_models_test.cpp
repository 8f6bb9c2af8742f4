// shoal-bench models: the real binary over models written by the real
// libraries (the bench_models CTest fixture).

#include <gtest/gtest.h>

#include "tests/support/process.hpp"

using namespace shoal::test_support;

TEST(ShoalBenchModels, TimesBothFormatsAndAgreesWithXGBoost) {
  auto res
    = run_command(binary("shoal-bench") + " models --dir " + BENCH_MODELS);
  ASSERT_EQ(res.exit_code, 0) << res.output;
  EXPECT_NE(res.output.find("shoal xgboost node_fn"), std::string::npos)
    << res.output;
  EXPECT_NE(res.output.find("xgboost C API, 1 row/call"), std::string::npos)
    << res.output;
  EXPECT_NE(res.output.find("predictions equal on 1024 of 1024 rows"),
            std::string::npos)
    << res.output;
  EXPECT_NE(res.output.find("shoal onnx node function"), std::string::npos)
    << res.output;
  EXPECT_NE(res.output.find("0 failed calls"), std::string::npos) << res.output;
}

TEST(ShoalBenchModels, SaysHowToMakeTheModelsWhenTheyAreMissing) {
  auto res = run_command(binary("shoal-bench") + " models --dir /nonexistent");
  EXPECT_EQ(res.exit_code, 2);
  EXPECT_NE(res.output.find("make_bench_models.py"), std::string::npos)
    << res.output;
}
