#include <cmath>
#include <gtest/gtest.h>
#include <string>
#include <vector>

#include "runtime/core/errc.hpp"
#include "runtime/functions/fn_factory.hpp"

using namespace shoal;

namespace {

node_spec feature(std::string fn, std::vector<std::string> needs = {"in"}) {
  node_spec s;
  s.name = "p1.f";
  s.kind = node_kind::feature;
  s.fn = std::move(fn);
  s.needs = std::move(needs);
  s.file = "plant.toml";
  return s;
}

node_spec model(std::string kind, std::vector<std::string> needs = {"a", "b"}) {
  auto s = feature(std::move(kind), std::move(needs));
  s.name = "p1.m";
  s.kind = node_kind::model;
  return s;
}

/// The rendered error of `make_fn(s)`, which must fail.
std::string error_of(const node_spec& s) {
  auto r = make_fn(s);
  if (r) {
    ADD_FAILURE() << "make_fn accepted node '" << s.name << "' (" << s.fn
                  << ")";
    return {};
  }
  EXPECT_EQ(r.error().category(), caf::atom("shoal"));
  EXPECT_EQ(r.error().code(), static_cast<uint8_t>(errc::invalid_graph));
  return describe(r.error());
}

/// Feeds single-input samples (ts, x); returns the outputs, NAN for none.
std::vector<double> feed(node_fn& f,
                         std::vector<std::pair<int64_t, double>> xs) {
  std::vector<double> res;
  for (auto [ts, x] : xs) {
    double out = NAN;
    std::string err;
    auto st = f.call(ts, &x, 1, out, err);
    EXPECT_NE(st, fn_status::error) << err;
    res.push_back(st == fn_status::value ? out : NAN);
  }
  return res;
}

} // namespace

TEST(FnFactory, BuildsRollingFunctionsOverCountAndTimeWindows) {
  auto s = feature("rolling_sum");
  s.window = 2;
  auto f = make_fn(s);
  ASSERT_TRUE(f) << describe(f.error());
  // Window 2 over 1 2 3: 1, 3, 5.
  EXPECT_EQ(feed(**f, {{1, 1}, {2, 2}, {3, 3}}),
            (std::vector<double>{1, 3, 5}));
  auto t = feature("rolling_max");
  t.window_ns = 10;
  auto g = make_fn(t);
  ASSERT_TRUE(g) << describe(g.error());
  // (t-10, t]: t=0 {9}; t=5 {9, 1}; t=10 {1, 4}.
  EXPECT_EQ(feed(**g, {{0, 9}, {5, 1}, {10, 4}}),
            (std::vector<double>{9, 9, 4}));
  for (auto fn : {"rolling_mean", "rolling_min", "rolling_std"}) {
    auto u = feature(fn);
    u.window = 5;
    EXPECT_TRUE(make_fn(u)) << fn;
  }
}

TEST(FnFactory, BuildsStreamFunctions) {
  auto e = feature("ewma");
  e.alpha = 0.5;
  auto f = make_fn(e);
  ASSERT_TRUE(f) << describe(f.error());
  EXPECT_EQ(feed(**f, {{1, 2}, {2, 4}}), (std::vector<double>{2, 3}));
  auto d = make_fn(feature("diff"));
  ASSERT_TRUE(d);
  auto out = feed(**d, {{1, 2}, {2, 7}});
  EXPECT_TRUE(std::isnan(out[0]));
  EXPECT_EQ(out[1], 5.0);
  auto r = make_fn(feature("rate"));
  ASSERT_TRUE(r);
  out = feed(**r, {{0, 2}, {500'000'000, 7}});
  EXPECT_TRUE(std::isnan(out[0]));
  EXPECT_EQ(out[1], 10.0);
}

TEST(FnFactory, BuildsLinearModels) {
  auto s = model("linear");
  s.weights = {2, -1};
  s.bias = 0.5;
  auto f = make_fn(s);
  ASSERT_TRUE(f) << describe(f.error());
  double args[2] = {3, 4};
  double out = 0;
  std::string err;
  ASSERT_EQ((*f)->call(1, args, 2, out, err), fn_status::value);
  EXPECT_EQ(out, 2.5);
  s.link = "logistic";
  s.bias = -2;
  f = make_fn(s);
  ASSERT_TRUE(f) << describe(f.error());
  ASSERT_EQ((*f)->call(1, args, 2, out, err), fn_status::value);
  EXPECT_EQ(out, 0.5); // z = -2 + 6 - 4 = 0
}

TEST(FnFactory, RejectsUnknownFunctionsAndKinds) {
  EXPECT_EQ(error_of(feature("foo")),
            "plant.toml: node 'p1.f': unknown function 'foo'; known: "
            "rolling_mean, rolling_sum, rolling_min, rolling_max, "
            "rolling_std, ewma, diff, rate, clip, scale, deadband, "
            "rolling_quantile, zscore, tumbling_mean, tumbling_sum, "
            "tumbling_min, tumbling_max, tumbling_count, tumbling_last, lua");
  EXPECT_EQ(error_of(feature("")),
            "plant.toml: node 'p1.f': missing fn; known: rolling_mean, "
            "rolling_sum, rolling_min, rolling_max, rolling_std, ewma, diff, "
            "rate, clip, scale, deadband, rolling_quantile, zscore, "
            "tumbling_mean, tumbling_sum, tumbling_min, tumbling_max, "
            "tumbling_count, tumbling_last, lua");
  // Model kinds are not feature functions, and the other way round.
  EXPECT_NE(error_of(feature("linear")).find("unknown function 'linear'"),
            std::string::npos);
  EXPECT_EQ(error_of(model("rolling_mean")),
            "plant.toml: node 'p1.m': unknown model kind 'rolling_mean'; "
            "known: linear, xgboost, onnx, lua");
  node_spec sensor;
  sensor.name = "p1.temp";
  EXPECT_EQ(error_of(sensor),
            "graph: node 'p1.temp': a sensor has no function");
}

TEST(FnFactory, RejectsModelFileKindsWithoutPathOrWithForeignParameters) {
  EXPECT_EQ(error_of(model("xgboost")),
            "plant.toml: node 'p1.m': xgboost model needs path");
  EXPECT_EQ(error_of(model("onnx")),
            "plant.toml: node 'p1.m': onnx model needs path");
  auto m = model("onnx");
  m.path = "/nonexistent.onnx";
  m.weights = {1.0};
  EXPECT_NE(error_of(m).find("weights"), std::string::npos) << error_of(m);
}

TEST(FnFactory, RejectsRollingWindowsThatAreMissingOrAmbiguous) {
  auto s = feature("rolling_mean");
  EXPECT_EQ(error_of(s),
            "plant.toml: node 'p1.f': rolling_mean needs window or window_ns");
  s.window = 3;
  s.window_ns = 1000;
  EXPECT_EQ(error_of(s), "plant.toml: node 'p1.f': rolling_mean takes window "
                         "or window_ns, not both");
  s.window_ns = 0;
  s.window = -2;
  EXPECT_EQ(error_of(s),
            "plant.toml: node 'p1.f': window must be at least 1, got -2");
  s.window = 0;
  s.window_ns = -5;
  EXPECT_EQ(error_of(s),
            "plant.toml: node 'p1.f': window_ns must be at least 1, got -5");
}

TEST(FnFactory, RejectsSingleInputFunctionsWithOtherInputCounts) {
  auto s = feature("rolling_mean", {"a", "b"});
  s.window = 3;
  EXPECT_EQ(error_of(s),
            "plant.toml: node 'p1.f': rolling_mean takes one input, got 2");
  auto e = feature("ewma", {});
  e.alpha = 0.5;
  EXPECT_EQ(error_of(e),
            "plant.toml: node 'p1.f': ewma takes one input, got 0");
  EXPECT_EQ(error_of(feature("diff", {"a", "b", "c"})),
            "plant.toml: node 'p1.f': diff takes one input, got 3");
  EXPECT_EQ(error_of(feature("rate", {})),
            "plant.toml: node 'p1.f': rate takes one input, got 0");
}

TEST(FnFactory, RejectsAlphaOutsideZeroToOne) {
  auto s = feature("ewma");
  EXPECT_EQ(error_of(s), "plant.toml: node 'p1.f': ewma needs alpha in (0, 1]");
  s.alpha = 1.5;
  EXPECT_EQ(error_of(s),
            "plant.toml: node 'p1.f': ewma alpha must be in (0, 1], got 1.5");
  s.alpha = -0.25;
  EXPECT_EQ(error_of(s),
            "plant.toml: node 'p1.f': ewma alpha must be in (0, 1], got -0.25");
  s.alpha = NAN;
  EXPECT_NE(error_of(s).find("ewma alpha must be in (0, 1]"),
            std::string::npos);
  s.alpha = 1;
  EXPECT_TRUE(make_fn(s));
  s.alpha = 1e-9;
  EXPECT_TRUE(make_fn(s));
}

TEST(FnFactory, RejectsParametersAFunctionDoesNotTake) {
  auto s = feature("rolling_mean");
  s.window = 3;
  s.alpha = 0.5;
  EXPECT_EQ(error_of(s),
            "plant.toml: node 'p1.f': rolling_mean does not take 'alpha'");
  auto d = feature("diff");
  d.window = 3;
  EXPECT_EQ(error_of(d),
            "plant.toml: node 'p1.f': diff does not take 'window'");
  auto e = feature("ewma");
  e.alpha = 0.5;
  e.window_ns = 100;
  EXPECT_EQ(error_of(e),
            "plant.toml: node 'p1.f': ewma does not take 'window_ns'");
  auto r = feature("rate");
  r.code = "return 1";
  EXPECT_EQ(error_of(r), "plant.toml: node 'p1.f': rate does not take 'code'");
  auto m = feature("rolling_min");
  m.window = 2;
  m.link = "logistic";
  EXPECT_EQ(error_of(m),
            "plant.toml: node 'p1.f': rolling_min does not take 'link'");
  auto lin = model("linear");
  lin.weights = {1, 2};
  lin.window = 4;
  EXPECT_EQ(error_of(lin),
            "plant.toml: node 'p1.m': linear model does not take 'window'");
  lin.window = 0;
  lin.path = "/models/m.json";
  EXPECT_EQ(error_of(lin),
            "plant.toml: node 'p1.m': linear model does not take 'path'");
  auto lua = feature("lua");
  lua.code = "return function(x) return x end";
  lua.alpha = 0.5;
  EXPECT_EQ(error_of(lua),
            "plant.toml: node 'p1.f': lua does not take 'alpha'");
}

TEST(FnFactory, RejectsLinearModelsWithBadWeightsOrLink) {
  auto s = model("linear");
  EXPECT_EQ(error_of(s), "plant.toml: node 'p1.m': linear model needs "
                         "weights, one per input");
  s.weights = {1};
  EXPECT_EQ(error_of(s), "plant.toml: node 'p1.m': linear model has 1 "
                         "weights for 2 inputs");
  s.weights = {1, 2, 3};
  EXPECT_EQ(error_of(s), "plant.toml: node 'p1.m': linear model has 3 "
                         "weights for 2 inputs");
  s.weights = {1, INFINITY};
  EXPECT_EQ(error_of(s), "plant.toml: node 'p1.m': linear model weight 1 is "
                         "not a finite number");
  s.weights = {1, 2};
  s.bias = NAN;
  EXPECT_EQ(error_of(s), "plant.toml: node 'p1.m': linear model bias is not "
                         "a finite number");
  s.bias = 0;
  s.link = "softmax";
  EXPECT_EQ(error_of(s), "plant.toml: node 'p1.m': unknown link 'softmax'; "
                         "known: identity, logistic");
}

TEST(FnFactory, DispatchesLuaToTheSandbox) {
  auto s = feature("lua", {"a", "b"});
  s.code = "return function(v, a) return v * a end";
  auto f = make_fn(s);
  ASSERT_TRUE(f) << describe(f.error());
  double args[2] = {3, 4};
  double out = 0;
  std::string err;
  ASSERT_EQ((*f)->call(1, args, 2, out, err), fn_status::value) << err;
  EXPECT_EQ(out, 12.0);
}
