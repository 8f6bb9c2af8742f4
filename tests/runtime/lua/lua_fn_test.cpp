#include <cstdio>
#include <gtest/gtest.h>
#include <malloc.h>
#include <string>
#include <vector>

#include "runtime/core/errc.hpp"
#include "runtime/lua/lua_fn.hpp"

using namespace shoal;

namespace {

node_spec lua_spec(const std::string& name, const std::string& code) {
  node_spec spec;
  spec.name = name;
  spec.kind = node_kind::feature;
  spec.fn = "lua";
  spec.code = code;
  spec.file = "plant.toml";
  return spec;
}

node_fn_ptr make(const std::string& code, const std::string& name = "n1") {
  auto fn = make_lua_fn(lua_spec(name, code));
  EXPECT_TRUE(fn) << describe(fn.error());
  return fn ? std::move(*fn) : nullptr;
}

struct outcome {
  fn_status status;
  double value;
  std::string err;
};

outcome run(node_fn& fn, int64_t ts, const std::vector<double>& args = {}) {
  outcome res{fn_status::none, 0, {}};
  res.status = fn.call(ts, args.data(), args.size(), res.value, res.err);
  return res;
}

std::string load_error(const std::string& code) {
  auto fn = make_lua_fn(lua_spec("bad.node", code));
  return fn ? std::string{"(loaded)"} : describe(fn.error());
}

} // namespace

TEST(LuaFn, ReturnsNumberOrNothing) {
  auto fn = make("return function(x) if x > 0 then return x * 2 end end");
  auto res = run(*fn, 1, {21});
  EXPECT_EQ(res.status, fn_status::value);
  EXPECT_EQ(res.value, 42);
  EXPECT_EQ(run(*fn, 2, {-1}).status, fn_status::none);
  auto ints = make("return function() return 7 // 2 end");
  res = run(*ints, 1);
  EXPECT_EQ(res.status, fn_status::value);
  EXPECT_EQ(res.value, 3);
}

TEST(LuaFn, PassesInputsInNeedsOrder) {
  auto fn = make("return function(a, b, c) "
                 "  assert(select('#', a, b, c) == 3) "
                 "  return a * 100 + b * 10 + c end");
  EXPECT_EQ(run(*fn, 1, {1, 2, 3}).value, 123);
  EXPECT_EQ(run(*fn, 2, {3, 2, 1}).value, 321);
  auto fractional = make("return function(a, b) return a / b end");
  EXPECT_EQ(run(*fractional, 1, {1, 4}).value, 0.25);
}

TEST(LuaFn, AcceptsLibraryFunctionAsTheFunction) {
  auto fn = make("return math.sqrt");
  EXPECT_EQ(run(*fn, 1, {9}).value, 3);
}

TEST(LuaFn, TimestampIsAnExactInteger) {
  const int64_t t1 = 1700000000123456789;
  auto fn = make("return function() "
                 "  if math.type(ts) ~= 'integer' then error('float ts') end "
                 "  local prev = state.t "
                 "  state.t = ts "
                 "  if prev == nil then return ts % 1000 end "
                 "  if prev ~= 1700000000123456789 then return -1 end "
                 "  return ts - prev end");
  auto first = run(*fn, t1);
  ASSERT_EQ(first.status, fn_status::value) << first.err;
  EXPECT_EQ(first.value, 789);
  auto second = run(*fn, t1 + 1);
  ASSERT_EQ(second.status, fn_status::value) << second.err;
  EXPECT_EQ(second.value, 1);
  auto echo = make("return function() return ts - 1700000000000000000 end");
  EXPECT_EQ(run(*echo, t1).value, 123456789);
}

TEST(LuaFn, TimestampIsZeroWhileTheChunkRuns) {
  auto fn = make("local at_load = ts return function() return at_load end");
  EXPECT_EQ(run(*fn, 99).value, 0);
}

TEST(LuaFn, StatePersistsAndIsPrivateToTheNode) {
  const char* code = "state.n = (state.n or 0) + 1 "
                     "return function() state.n = state.n + 1 "
                     "return state.n end";
  auto a = make(code, "a");
  auto b = make(code, "b");
  EXPECT_EQ(run(*a, 1).value, 2);
  EXPECT_EQ(run(*a, 2).value, 3);
  EXPECT_EQ(run(*a, 3).value, 4);
  EXPECT_EQ(run(*b, 1).value, 2);
  auto globals = make("return function() counter = (counter or 0) + 1 "
                      "return counter end",
                      "c");
  EXPECT_EQ(run(*globals, 1).value, 1);
  EXPECT_EQ(run(*globals, 2).value, 2);
  EXPECT_EQ(run(*b, 2).value, 3);
}

TEST(LuaFn, CompileErrorNamesTheNode) {
  auto err = load_error("return function(x) return x + end");
  EXPECT_EQ(err.rfind("plant.toml: node 'bad.node': lua: bad.node:1:", 0), 0u)
    << err;
}

TEST(LuaFn, ChunkMustReturnAFunction) {
  EXPECT_EQ(load_error("return 42"),
            "plant.toml: node 'bad.node': lua: chunk returned number, "
            "expected a function");
  EXPECT_NE(load_error("x = 1").find("chunk returned nil"), std::string::npos);
  EXPECT_NE(load_error("").find("no code"), std::string::npos);
  auto err = load_error("error('refused at load')");
  EXPECT_NE(err.find("bad.node:1: refused at load"), std::string::npos) << err;
}

TEST(LuaFn, RuntimeErrorIsReportedAndTheNodeGoesOn) {
  auto fn = make("return function(x)\n"
                 "  if x < 0 then error('negative input') end\n"
                 "  return x end",
                 "p1.check");
  auto bad = run(*fn, 1, {-1});
  EXPECT_EQ(bad.status, fn_status::error);
  EXPECT_EQ(bad.err, "lua: p1.check:2: negative input");
  auto good = run(*fn, 2, {5});
  EXPECT_EQ(good.status, fn_status::value);
  EXPECT_EQ(good.value, 5);
  auto arith = make("return function(x) return x + nil_global end");
  auto res = run(*arith, 1, {1});
  EXPECT_EQ(res.status, fn_status::error);
  EXPECT_NE(res.err.find("n1:1: attempt to perform arithmetic"),
            std::string::npos)
    << res.err;
  auto table_error = make("return function() error({}) end");
  EXPECT_EQ(run(*table_error, 1).err, "lua: error object is a table value");
}

TEST(LuaFn, WrongReturnTypeIsAnError) {
  for (auto [ret, type] :
       {std::pair{"'12'", "string"}, {"{}", "table"}, {"true", "boolean"}}) {
    auto fn = make(std::string{"return function() return "} + ret + " end");
    auto res = run(*fn, 1);
    EXPECT_EQ(res.status, fn_status::error);
    EXPECT_EQ(res.err, std::string{"lua: function returned "} + type
                         + ", expected a number or nil");
    EXPECT_EQ(run(*fn, 2).status, fn_status::error);
  }
}

TEST(LuaFn, RandomSequenceIsDeterministicPerNode) {
  const char* code = "return function() return math.random(1, 1000000) end";
  auto a = make(code, "same");
  auto b = make(code, "same");
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(run(*a, i).value, run(*b, i).value);
}

TEST(LuaFn, MemoryOfThousandNodes) {
  // A typical node: the state, one small function and its state table.
  const char* code = "return function(v, a) "
                     "  state.n = (state.n or 0) + 1 "
                     "  return v * a end";
  std::vector<node_fn_ptr> nodes;
  nodes.reserve(1000);
  auto heap_before = mallinfo2().uordblks;
  for (int i = 0; i < 1000; ++i) {
    nodes.push_back(make(code, "pump" + std::to_string(i) + ".power"));
    ASSERT_NE(nodes.back(), nullptr);
    EXPECT_EQ(run(*nodes.back(), 1, {230, 2}).value, 460);
  }
  auto heap = mallinfo2().uordblks - heap_before;
  size_t total = 0;
  for (const auto& node : nodes)
    total += node->memory_bytes();
  auto per_node = total / nodes.size();
  // memory_bytes() is what the sandbox's allocator counts; the heap figure
  // adds malloc's own overhead per block.
  std::printf("[ memory ] 1000 Lua nodes: %zu bytes counted (%zu per node), "
              "%zu bytes of heap (%zu per node)\n",
              total, per_node, heap, heap / nodes.size());
  EXPECT_GT(per_node, 1024u);
  EXPECT_LT(per_node, 64u * 1024u);
}
