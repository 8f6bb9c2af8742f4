#include <cmath>
#include <gtest/gtest.h>
#include <limits>
#include <vector>

#include "runtime/models/linear_model.hpp"

using namespace shoal;

namespace {

double eval(node_fn& f, std::vector<double> args) {
  double out = NAN;
  std::string err;
  EXPECT_EQ(f.call(1, args.data(), args.size(), out, err), fn_status::value)
    << err;
  return out;
}

} // namespace

TEST(LinearModel, IdentityLinkIsBiasPlusWeightedSum) {
  // 0.5 + 2*3 + (-1)*4 = 2.5
  auto f = make_linear_model({2, -1}, 0.5, link_fn::identity);
  EXPECT_EQ(eval(*f, {3, 4}), 2.5);
  // 0.5 + 2*0 + (-1)*0.5 = 0
  EXPECT_EQ(eval(*f, {0, 0.5}), 0.0);
}

TEST(LinearModel, LogisticLinkAppliesTheSigmoid) {
  // z = 0.5 + 0.8*10 - 0.002*4250 = 0 -> 0.5
  auto f = make_linear_model({0.8, -0.002}, 0.5, link_fn::logistic);
  EXPECT_NEAR(eval(*f, {10, 4250}), 0.5, 1e-12);
  // z = 0.5 + 0.8*1 = 1.3 -> 1 / (1 + e^-1.3)
  EXPECT_NEAR(eval(*f, {1, 0}), 1 / (1 + std::exp(-1.3)), 1e-15);
}

TEST(LinearModel, LogisticIsStableForLargeMagnitudes) {
  EXPECT_EQ(logistic(0), 0.5);
  EXPECT_EQ(logistic(800), 1.0);
  EXPECT_EQ(logistic(std::numeric_limits<double>::max()), 1.0);
  // For very negative z the result is tiny, not 0 or NaN: e^-700 / (1 + ..).
  EXPECT_NEAR(logistic(-700) / std::exp(-700.0), 1.0, 1e-12);
  EXPECT_GT(logistic(-740), 0.0);
  EXPECT_EQ(logistic(-800), 0.0); // below the smallest double
  EXPECT_EQ(logistic(-std::numeric_limits<double>::max()), 0.0);
  // Symmetry: s(-z) = 1 - s(z).
  for (double z : {0.1, 1.0, 5.0, 20.0})
    EXPECT_NEAR(logistic(-z), 1 - logistic(z), 1e-15) << z;
}

TEST(LinearModel, LogisticLinkOfHugeInputs) {
  auto f = make_linear_model({1e300, 1e300}, 0, link_fn::logistic);
  EXPECT_EQ(eval(*f, {1e10, 1}), 1.0);
  EXPECT_EQ(eval(*f, {-1e10, 1}), 0.0);
}

TEST(LinearModel, RejectsAWrongInputCount) {
  auto f = make_linear_model({1, 2, 3}, 0, link_fn::identity);
  double args[2] = {1, 2};
  double out = 0;
  std::string err;
  EXPECT_EQ(f->call(1, args, 2, out, err), fn_status::error);
  EXPECT_EQ(err, "linear model has 3 weights but got 2 inputs");
}

TEST(LinearModel, ParsesLinks) {
  EXPECT_EQ(parse_link("identity"), link_fn::identity);
  EXPECT_EQ(parse_link("logistic"), link_fn::logistic);
  EXPECT_EQ(parse_link("softmax"), std::nullopt);
  EXPECT_STREQ(to_string(link_fn::logistic), "logistic");
}

TEST(LinearModel, MemoryCountsTheWeights) {
  auto small = make_linear_model({1}, 0, link_fn::identity);
  auto big
    = make_linear_model(std::vector<double>(100, 1.0), 0, link_fn::identity);
  EXPECT_GE(big->memory_bytes(), small->memory_bytes() + 99 * sizeof(double));
}
