// Guards on the library functions whose C loops the count hook cannot see,
// and on the two ways Lua runs user code with hooks off (__gc finalizers and
// the xpcall message handler of an error raised by the hook).
//
// The instruction hook only runs between Lua VM instructions, so a single C
// call that loops long (a backtracking pattern, `string.rep("", 1e18)`,
// `table.move` over 2^62 empty slots) would hang the node's thread. Each guard
// checks the cost up front and refuses the call with a Lua error when its
// worst case exceeds the per-call instruction budget; otherwise it calls the
// original function (upvalue 1) with the same arguments.
//
// Everything here runs in protected mode, inside Lua: no C++ objects.

#include <cmath>
#include <cstring>
#include <initializer_list>

#include "runtime/lua/lua_env.hpp"
#include "runtime/lua/lua_sandbox.hpp"

namespace shoal {

namespace {

double budget(lua_State* L) {
  return static_cast<double>(lua_sandbox::of(L).limits().instructions);
}

int call_original(lua_State* L) {
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

/// Returns the index just past the set `[...]` that starts at `p[i]`,
/// following the rules of Lua's `classEnd`.
size_t skip_set(const char* p, size_t len, size_t i) {
  size_t j = i + 1;
  if (j < len && p[j] == '^')
    ++j;
  do {
    if (j >= len)
      return len;
    if (p[j++] == '%' && j < len)
      ++j;
  } while (j < len && p[j] != ']');
  return j + 1;
}

/// Worst-case steps of Lua's backtracking matcher for pattern `p` over a
/// subject of `n` bytes: every unbounded item (x*, x+, x-, %b, a
/// back-reference) can cost a pass over the subject for each way the items
/// before it matched, and the match is tried at every start position.
double pattern_cost(const char* p, size_t len, size_t n) {
  int unbounded = 0;
  int optional = 0;
  size_t i = len > 0 && p[0] == '^' ? 1 : 0;
  while (i < len) {
    char c = p[i];
    if (c == '(' || c == ')') {
      ++i;
      continue;
    }
    if (c == '%' && i + 1 < len) {
      char d = p[i + 1];
      i += 2;
      if (d == 'b') {
        ++unbounded;
        i += 2;
        continue;
      }
      if (d == 'f') {
        if (i < len && p[i] == '[')
          i = skip_set(p, len, i);
        continue;
      }
      if (d >= '0' && d <= '9') {
        ++unbounded;
        continue;
      }
    } else if (c == '[') {
      i = skip_set(p, len, i);
    } else {
      ++i;
    }
    if (i < len && (p[i] == '*' || p[i] == '+' || p[i] == '-')) {
      ++unbounded;
      ++i;
    } else if (i < len && p[i] == '?') {
      ++optional;
      ++i;
    }
  }
  double per_start = unbounded == 0 ? static_cast<double>(len) + 1 : 1;
  return std::pow(static_cast<double>(n) + 1, unbounded + 1) * per_start
         * std::pow(2.0, optional);
}

/// Whether `find` treats `p` as plain text (the test of Lua's `nospecials`).
bool no_specials(const char* p, size_t len) {
  for (size_t i = 0; i < len; ++i)
    if (std::strchr("^$*+?.([%-", p[i]) != nullptr && p[i] != '\0')
      return false;
  return true;
}

/// string.find, match, gmatch and gsub; upvalue 2 is true for find.
int guarded_pattern(lua_State* L) {
  size_t n = 0;
  size_t len = 0;
  luaL_checklstring(L, 1, &n);
  const char* p = luaL_checklstring(L, 2, &len);
  bool plain = lua_toboolean(L, lua_upvalueindex(2))
               && (lua_toboolean(L, 4) || no_specials(p, len));
  // A plain search compares with memchr and memcmp, many bytes per step.
  double cost = plain ? (static_cast<double>(n) + 1) * (len + 1) / 16
                      : pattern_cost(p, len, n);
  if (cost > budget(L))
    return luaL_error(L,
                      "pattern too costly for a subject of %I bytes (its "
                      "worst case exceeds the instruction budget)",
                      static_cast<lua_Integer>(n));
  return call_original(L);
}

/// string.rep: with an empty string and separator, Lua loops `n` times to
/// build nothing. The result is the empty string.
int guarded_rep(lua_State* L) {
  size_t len = 0;
  size_t sep = 0;
  luaL_checklstring(L, 1, &len);
  luaL_checkinteger(L, 2);
  luaL_optlstring(L, 3, "", &sep);
  if (len + sep == 0) {
    lua_pushliteral(L, "");
    return 1;
  }
  return call_original(L);
}

/// table.move: moving nils allocates nothing, so only the count bounds it.
int guarded_move(lua_State* L) {
  lua_Integer first = luaL_checkinteger(L, 2);
  lua_Integer last = luaL_checkinteger(L, 3);
  if (last >= first) {
    auto span
      = static_cast<lua_Unsigned>(last) - static_cast<lua_Unsigned>(first);
    if (static_cast<double>(span) >= budget(L))
      return luaL_error(L, "too many elements to move for the instruction "
                           "budget");
  }
  return call_original(L);
}

/// table.insert and table.remove; upvalue 2 is the argument count from which
/// argument 2 is a position. A __len metamethod can claim any length, and
/// shifting that many (empty) slots is an unbounded C loop.
int guarded_shift(lua_State* L) {
  auto with_pos = static_cast<int>(lua_tointeger(L, lua_upvalueindex(2)));
  if (lua_gettop(L) >= with_pos && lua_isinteger(L, 2)
      && luaL_getmetafield(L, 1, "__len") != LUA_TNIL) {
    lua_pop(L, 1);
    lua_Integer size = luaL_len(L, 1);
    lua_Integer pos = lua_tointeger(L, 2);
    if (size > pos
        && static_cast<double>(static_cast<lua_Unsigned>(size)
                               - static_cast<lua_Unsigned>(pos))
             >= budget(L))
      return luaL_error(L, "too many elements to shift for the instruction "
                           "budget");
  }
  return call_original(L);
}

/// math.randomseed: without a seed, Lua seeds from the clock, and results
/// would no longer depend only on the inputs.
int guarded_randomseed(lua_State* L) {
  if (lua_isnone(L, 1))
    return luaL_error(L, "math.randomseed needs a seed (results must be "
                         "deterministic)");
  return call_original(L);
}

/// The message handler of a guarded xpcall; upvalue 1 is the user's.
int guarded_handler(lua_State* L) {
  // A stop raised by the budget hook runs the handler with hooks off, so
  // user code must not run then: pass the error object on unchanged.
  if (lua_sandbox::of(L).stopped())
    return 1;
  return call_original(L);
}

/// xpcall with the message handler behind `guarded_handler`.
int guarded_xpcall(lua_State* L) {
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_pushvalue(L, 2);
  lua_pushcclosure(L, guarded_handler, 1);
  lua_replace(L, 2);
  return call_original(L);
}

/// setmetatable without __gc: finalizers run inside the collector with
/// hooks off, out of reach of the budgets.
int guarded_setmetatable(lua_State* L) {
  int type = lua_type(L, 2);
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_argexpected(L, type == LUA_TNIL || type == LUA_TTABLE, 2,
                   "nil or table");
  if (type == LUA_TTABLE) {
    lua_pushliteral(L, "__gc");
    if (lua_rawget(L, 2) != LUA_TNIL)
      return luaL_error(L, "__gc metamethods are not allowed");
    lua_pop(L, 1);
  }
  if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
    return luaL_error(L, "cannot change a protected metatable");
  // The global table's metatable opens libraries on use: open them all
  // before user code replaces it (a "strict" module, say).
  lua_pushglobaltable(L);
  if (lua_rawequal(L, 1, -1))
    open_lazy_libs(L, 1);
  lua_settop(L, 2);
  lua_setmetatable(L, 1);
  return 1;
}

/// Replaces `lib[name]` (the table at `lib`) by `fn` with the original as
/// upvalue 1 and the value on top of the stack, if `extra`, as upvalue 2.
void wrap(lua_State* L, int lib, const char* name, lua_CFunction fn,
          bool extra = false) {
  lua_getfield(L, lib, name);
  if (extra)
    lua_insert(L, -2);
  lua_pushcclosure(L, fn, extra ? 2 : 1);
  lua_setfield(L, lib, name);
}

} // namespace

void guard_base(lua_State* L, int globals) {
  lua_pushcfunction(L, guarded_setmetatable);
  lua_setfield(L, globals, "setmetatable");
  wrap(L, globals, "xpcall", guarded_xpcall);
}

void guard_string(lua_State* L, int lib) {
  for (const char* name : {"find", "match", "gmatch", "gsub"}) {
    lua_pushboolean(L, std::strcmp(name, "find") == 0);
    wrap(L, lib, name, guarded_pattern, true);
  }
  wrap(L, lib, "rep", guarded_rep);
}

void guard_table(lua_State* L, int lib) {
  wrap(L, lib, "move", guarded_move);
  lua_pushinteger(L, 3);
  wrap(L, lib, "insert", guarded_shift, true);
  lua_pushinteger(L, 2);
  wrap(L, lib, "remove", guarded_shift, true);
}

void guard_math(lua_State* L, int lib) {
  wrap(L, lib, "randomseed", guarded_randomseed);
}

} // namespace shoal
