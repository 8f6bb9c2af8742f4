// A function's state moves: saved after some calls and loaded into a fresh
// function of the same node, the copy gives exactly the outputs the
// original gives from there on (windows, previous values, Lua `state` and
// math.random).

#include <cmath>
#include <gtest/gtest.h>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "runtime/core/errc.hpp"
#include "runtime/core/types.hpp"
#include "runtime/functions/fn_factory.hpp"
#include "runtime/functions/fn_state.hpp"
#include "runtime/graph/graph_spec.hpp"

using namespace shoal;

namespace {

node_spec feature(const std::string& fn) {
  node_spec n;
  n.name = "f." + fn;
  n.kind = node_kind::feature;
  n.fn = fn;
  n.needs = {"s"};
  return n;
}

/// Calls `fn` at `ts` with `x`; returns the output, or NaN for none/error.
double call(node_fn& fn, int64_t ts, double x) {
  double out = 0;
  std::string err;
  return fn.call(ts, &x, 1, out, err) == fn_status::value
           ? out
           : std::numeric_limits<double>::quiet_NaN();
}

void expect_moves(const node_spec& spec) {
  SCOPED_TRACE(spec.name);
  auto a = make_fn(spec);
  ASSERT_TRUE(a);
  std::mt19937_64 rng{7};
  std::uniform_real_distribution<double> value{-50, 50};
  int64_t ts = 1000;
  for (int i = 0; i < 500; ++i)
    call(**a, ts += 1 + static_cast<int64_t>(rng() % 20), value(rng));
  state_writer w;
  std::string err;
  ASSERT_TRUE((*a)->save(w, err)) << err;
  auto b = make_fn(spec);
  ASSERT_TRUE(b);
  state_reader r{w.bytes()};
  ASSERT_TRUE((*b)->load(r, err)) << err;
  EXPECT_TRUE(r.ok() && r.done());
  for (int i = 0; i < 500; ++i) {
    ts += 1 + static_cast<int64_t>(rng() % 20);
    auto x = value(rng);
    auto want = call(**a, ts, x);
    auto got = call(**b, ts, x);
    if (std::isnan(want))
      EXPECT_TRUE(std::isnan(got)) << i;
    else
      EXPECT_EQ(got, want) << i;
  }
}

} // namespace

TEST(FnState, BuiltInsMoveWithTheirWindowsAndPreviousValues) {
  for (auto fn : {"rolling_mean", "rolling_sum", "rolling_std", "rolling_min",
                  "rolling_max"}) {
    auto count = feature(fn);
    count.window = 7;
    expect_moves(count);
    auto timed = feature(fn);
    timed.window_ns = 60;
    expect_moves(timed);
  }
  auto ewma = feature("ewma");
  ewma.alpha = 0.3;
  expect_moves(ewma);
  expect_moves(feature("diff"));
  expect_moves(feature("rate"));
}

TEST(FnState, LuaStateAndRandomSequenceMove) {
  auto lua = feature("lua");
  lua.code = "return function(x) state.n = (state.n or 0) + 1 "
             "state.t = state.t or {k = 'v', [3] = true, deep = {x = 1.5}} "
             "state.t.deep.x = state.t.deep.x + x "
             "return state.t.deep.x / state.n + math.random() end";
  expect_moves(lua);
}

TEST(FnState, LuaStateThatCannotMoveSaysWhy) {
  auto lua = feature("lua");
  lua.code = "return function(x) state.f = function() end return x end";
  auto fn = make_fn(lua);
  ASSERT_TRUE(fn);
  call(**fn, 1, 1.0);
  state_writer w;
  std::string err;
  EXPECT_FALSE((*fn)->save(w, err));
  EXPECT_NE(err.find("state holds a function"), std::string::npos) << err;
  // A damaged state is refused, not read as garbage.
  auto other = make_fn(lua);
  ASSERT_TRUE(other);
  std::string junk = "\x05\x01";
  state_reader r{junk};
  EXPECT_FALSE((*other)->load(r, err));
}

namespace {

/// One sample through `fn` as node_fire.hpp drives it: what is due before
/// `ts` is flushed, then the call, then what is due at `ts`. Returns the
/// outputs, NaN standing for a call without one.
std::vector<point> drive(node_fn& fn, int64_t ts, double x) {
  std::vector<point> res;
  auto flush_to = [&](int64_t t) {
    for (auto d = fn.due(); d != wm_end && d <= t; d = fn.due()) {
      double out = 0;
      std::string err;
      auto st = fn.flush(out, err);
      res.push_back({d, st == fn_status::value ? out : -1.0});
    }
  };
  flush_to(ts - 1);
  res.push_back({ts, call(fn, ts, x)});
  flush_to(ts);
  return res;
}

/// Like `expect_moves`, with the flushes of tumbling windows compared too.
void expect_moves_with_flushes(const node_spec& spec) {
  SCOPED_TRACE(spec.name);
  auto a = make_fn(spec);
  ASSERT_TRUE(a) << describe(a.error());
  std::mt19937_64 rng{9};
  std::uniform_int_distribution<int> value{-20, 20};
  int64_t ts = -3000;
  for (int i = 0; i < 300; ++i)
    drive(**a, ts += 1 + static_cast<int64_t>(rng() % 20), value(rng) * 0.5);
  state_writer w;
  std::string err;
  ASSERT_TRUE((*a)->save(w, err)) << err;
  auto b = make_fn(spec);
  ASSERT_TRUE(b);
  state_reader r{w.bytes()};
  ASSERT_TRUE((*b)->load(r, err)) << err;
  EXPECT_TRUE(r.ok() && r.done());
  EXPECT_EQ((*b)->due(), (*a)->due());
  for (int i = 0; i < 300; ++i) {
    ts += 1 + static_cast<int64_t>(rng() % 20);
    double x = value(rng) * 0.5;
    auto want = drive(**a, ts, x);
    auto got = drive(**b, ts, x);
    ASSERT_EQ(got.size(), want.size()) << i;
    for (size_t k = 0; k < want.size(); ++k) {
      EXPECT_EQ(got[k].ts, want[k].ts) << i;
      if (std::isnan(want[k].value))
        EXPECT_TRUE(std::isnan(got[k].value)) << i;
      else
        EXPECT_EQ(got[k].value, want[k].value) << i;
    }
  }
}

} // namespace

TEST(FnState, CleaningAndWindowFunctionsMoveWithTheirState) {
  auto clip = feature("clip");
  clip.lo = -3;
  expect_moves_with_flushes(clip);
  auto scale = feature("scale");
  scale.mul = 2;
  expect_moves_with_flushes(scale);
  auto deadband = feature("deadband");
  deadband.band = 2;
  expect_moves_with_flushes(deadband);
  for (auto fn : {"rolling_quantile", "zscore"}) {
    auto count = feature(fn);
    count.window = 7;
    count.q = std::string{fn} == "zscore" ? node_spec::not_given : 0.3;
    expect_moves_with_flushes(count);
    auto timed = count;
    timed.window = 0;
    timed.window_ns = 60;
    expect_moves_with_flushes(timed);
  }
  for (auto fn : {"tumbling_mean", "tumbling_sum", "tumbling_min",
                  "tumbling_max", "tumbling_count", "tumbling_last"}) {
    auto tumbling = feature(fn);
    tumbling.window_ns = 50;
    expect_moves_with_flushes(tumbling);
  }
}
