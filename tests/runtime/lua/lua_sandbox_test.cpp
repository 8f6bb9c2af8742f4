#include <gtest/gtest.h>
#include <limits>
#include <lua.hpp>
#include <string>
#include <vector>

#include "runtime/core/errc.hpp"
#include "runtime/lua/lua_fn.hpp"

using namespace shoal;

namespace {

node_spec lua_spec(const std::string& code) {
  node_spec spec;
  spec.name = "n1";
  spec.kind = node_kind::model;
  spec.fn = "lua";
  spec.code = code;
  spec.file = "plant.toml";
  return spec;
}

node_fn_ptr make(const std::string& code, const lua_limits& limits = {}) {
  auto fn = make_lua_fn(lua_spec(code), limits);
  EXPECT_TRUE(fn) << describe(fn.error());
  return fn ? std::move(*fn) : nullptr;
}

struct outcome {
  fn_status status;
  double value;
  std::string err;
};

outcome run(node_fn& fn, double x = 0) {
  outcome res{fn_status::none, 0, {}};
  res.status = fn.call(1, &x, 1, res.value, res.err);
  return res;
}

/// A node whose function runs `body` when its input is positive and returns
/// the input otherwise, to show that it keeps working after a failure.
node_fn_ptr make_guarded(const std::string& body, const lua_limits& lim = {}) {
  return make("return function(x) if x > 0 then " + body + " end return -x end",
              lim);
}

/// Asserts that `body` fails, and that the node then still works.
void expect_fails(const std::string& body, const std::string& what,
                  const lua_limits& limits = {}) {
  SCOPED_TRACE(body);
  auto fn = make_guarded(body + " return 1", limits);
  ASSERT_NE(fn, nullptr);
  auto res = run(*fn, 1);
  EXPECT_EQ(res.status, fn_status::error);
  EXPECT_NE(res.err.find(what), std::string::npos) << res.err;
  auto next = run(*fn, -7);
  EXPECT_EQ(next.status, fn_status::value) << next.err;
  EXPECT_EQ(next.value, 7);
}

/// Limits under which only `instructions` can stop a call: the tests do not
/// depend on the speed of the machine.
lua_limits instructions_only(uint64_t instructions = 10'000'000) {
  lua_limits limits;
  limits.instructions = instructions;
  limits.time_budget_ns = 60'000'000'000;
  return limits;
}

/// Limits under which only the memory cap can stop a call.
lua_limits memory_only() {
  return instructions_only(std::numeric_limits<uint64_t>::max());
}

int append_chunk(lua_State*, const void* data, size_t size, void* ud) {
  static_cast<std::string*>(ud)->append(static_cast<const char*>(data), size);
  return 0;
}

} // namespace

TEST(LuaSandbox, EscapeAttemptsFail) {
  const char* bodies[] = {
    "io.open('/etc/passwd')",
    "os.execute('true')",
    "require('os')",
    "load('return 1')",
    "loadstring('return 1')",
    "dofile('/etc/passwd')",
    "loadfile('/etc/passwd')",
    "debug.getinfo(1)",
    "package.loaded.os.execute('true')",
    "string.dump(function() end)",
    "('').dump(function() end)",
    "collectgarbage('count')",
    "getmetatable('').__index.dump(function() end)",
    "getmetatable('').__index = {}",
    "rawget(_G, 'load')('return 1')",
    "_G.print('escaped')",
    "coroutine.wrap(function() end)",
    "_ENV.os.exit(1)",
  };
  for (const char* body : bodies)
    expect_fails(body, "lua: n1:1:");
  expect_fails("setmetatable({}, {__gc = function() end})",
               "__gc metamethods are not allowed");
}

TEST(LuaSandbox, RejectsPrecompiledBytecode) {
  std::string bytecode;
  lua_State* L = luaL_newstate();
  ASSERT_EQ(luaL_loadstring(L, "return function() return 1 end"), LUA_OK);
  ASSERT_EQ(lua_dump(L, append_chunk, &bytecode, 1), 0);
  lua_close(L);
  ASSERT_EQ(bytecode.rfind(LUA_SIGNATURE, 0), 0u);
  auto fn = make_lua_fn(lua_spec(bytecode));
  ASSERT_FALSE(fn);
  EXPECT_NE(describe(fn.error()).find("attempt to load a binary chunk"),
            std::string::npos)
    << describe(fn.error());
}

TEST(LuaSandbox, MemoryBombsHitTheCap) {
  auto limits = memory_only();
  expect_fails("local s = string.rep('x', 1e9)",
               "lua: not enough memory (cap of 4194304 bytes)", limits);
  expect_fails("local t = {} for i = 1, 1e9 do t[i] = i end",
               "lua: not enough memory", limits);
  expect_fails("local t = {} for i = 1, 1e9 do t['k' .. i] = i end",
               "lua: not enough memory", limits);
  // A pcall in user code may catch the memory error and go on: the cap
  // still holds, and the budgets end the loop.
  auto catching = make("local function grow() "
                       "  state.t[#state.t + 1] = string.rep('y', 1000) end "
                       "return function(x) "
                       "  state.t = state.t or {} "
                       "  if x > 0 then for i = 1, 1e9 do pcall(grow) end end "
                       "  return #state.t end");
  ASSERT_NE(catching, nullptr);
  auto res = run(*catching, 1);
  EXPECT_EQ(res.status, fn_status::error);
  EXPECT_NE(res.err.find("budget exceeded"), std::string::npos) << res.err;
  // The strings the node kept fill the cap, but not more.
  auto kept = run(*catching, -1).value;
  EXPECT_GT(kept, 3000);
  EXPECT_LT(kept, 4194304 / 1000);
  EXPECT_LE(catching->memory_bytes(), limits.memory_bytes + 1024);
  auto fn = make_guarded("local s = 'x' while true do s = s .. s end", limits);
  ASSERT_NE(fn, nullptr);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(run(*fn, 1).status, fn_status::error);
    EXPECT_LE(fn->memory_bytes(), limits.memory_bytes + 1024);
    EXPECT_EQ(run(*fn, -2).value, 2);
  }
  // The heap is back near its size at load once the garbage is collected.
  EXPECT_LT(fn->memory_bytes(), 64u * 1024u);
}

TEST(LuaSandbox, CapTooSmallForTheStateIsALoadError) {
  lua_limits limits;
  limits.memory_bytes = 1024;
  auto fn = make_lua_fn(lua_spec("return function() return 1 end"), limits);
  ASSERT_FALSE(fn);
  EXPECT_NE(describe(fn.error()).find("not enough memory"), std::string::npos)
    << describe(fn.error());
}

TEST(LuaSandbox, EndlessLoopIsStopped) {
  auto limits = instructions_only();
  const char* bodies[] = {
    "while true do end",
    "local function f() return f() end f()",
    // A pcall or xpcall in user code cannot swallow the stop, and the
    // message handler does not run unbounded.
    "while true do pcall(function() while true do end end) end",
    "xpcall(function() while true do end end, "
    "function() while true do end end)",
    "while true do xpcall(function() while true do end end, "
    "function(e) return e end) end",
  };
  for (const char* body : bodies)
    expect_fails(body, "lua: instruction budget exceeded", limits);
  // With the default limits, whichever budget runs out first stops it.
  expect_fails("while true do end", "budget exceeded");
}

TEST(LuaSandbox, TimeBudgetStopsSlowCalls) {
  lua_limits limits;
  limits.instructions = std::numeric_limits<uint64_t>::max();
  limits.time_budget_ns = 5'000'000;
  for (const char* body :
       {"while true do end",
        "while true do local s = string.rep('x', 500000) end",
        "local s = string.rep('x', 1000000) "
        "while true do s:find('y', 1, true) end"}) {
    SCOPED_TRACE(body);
    auto fn = make_guarded(body, limits);
    ASSERT_NE(fn, nullptr);
    auto res = run(*fn, 1);
    EXPECT_EQ(res.status, fn_status::error);
    EXPECT_EQ(res.err, "lua: time budget exceeded");
    EXPECT_EQ(run(*fn, -3).value, 3);
  }
}

TEST(LuaSandbox, EndlessLoopAtLoadIsALoadError) {
  auto fn = make_lua_fn(lua_spec("while true do end return function() end"),
                        instructions_only());
  ASSERT_FALSE(fn);
  EXPECT_EQ(describe(fn.error()),
            "plant.toml: node 'n1': lua: instruction budget exceeded");
}

TEST(LuaSandbox, UnboundedLibraryLoopsAreRefused) {
  expect_fails("table.move({}, 1, math.maxinteger - 1, 1)",
               "too many elements to move");
  const char* huge_len = "setmetatable({}, {__len = function() "
                         "return math.maxinteger - 1 end})";
  expect_fails(std::string{"table.remove("} + huge_len + ", 1)",
               "too many elements to shift");
  expect_fails(std::string{"table.insert("} + huge_len + ", 1, 0)",
               "too many elements to shift");
  expect_fails("string.rep('a', 5000):find('a*b')", "pattern too costly");
  expect_fails("string.rep('a', 300):match('(.-)(.-)(.-)b')",
               "pattern too costly");
  expect_fails("math.randomseed()", "needs a seed");
}

TEST(LuaSandbox, GuardedFunctionsStillWork) {
  auto fn = make("return function() "
                 "  assert(string.rep('', 1e18) == '') "
                 "  assert(('ab'):rep(3, ',') == 'ab,ab,ab') "
                 "  assert(select(2, ('a,b,c'):gsub(',', ';')) == 2) "
                 "  assert(('key=42'):match('(%w+)=(%d+)') == 'key') "
                 "  local s = string.rep('x', 100000) .. 'needle' "
                 "  assert(s:find('needle', 1, true) == 100001) "
                 "  local t = {1, 2, 3} "
                 "  table.insert(t, 1, 0) table.remove(t) "
                 "  assert(table.concat(table.move(t, 1, 3, 2), ',') "
                 "         == '0,0,1,2') "
                 "  math.randomseed(7) "
                 "  local mt = setmetatable({}, {__index = function() "
                 "    return 5 end}) "
                 "  return mt.anything + unpack({1}) end");
  ASSERT_NE(fn, nullptr);
  auto res = run(*fn);
  ASSERT_EQ(res.status, fn_status::value) << res.err;
  EXPECT_EQ(res.value, 6);
}

TEST(LuaSandbox, LibrariesOpenedOnUseBehaveAsGlobals) {
  auto fn = make("local before = rawget(_G, 'math') "
                 "return function(x) "
                 "  assert(before == nil and math.floor(x) == 2) "
                 "  assert(rawget(_G, 'math') == math) "
                 "  assert(utf8.len('\\u{e9}t\\u{e9}') == 3) "
                 "  setmetatable(_G, {__newindex = function() "
                 "    error('strict') end}) "
                 "  return math.max(x, 1) + utf8.charpattern:len() end");
  ASSERT_NE(fn, nullptr);
  auto res = run(*fn, 2.5);
  ASSERT_EQ(res.status, fn_status::value) << res.err;
  EXPECT_EQ(res.value, 2.5 + 14);
}
