#include "runtime/lua/lua_env.hpp"

#include <cstring>

namespace shoal {

namespace {

/// The globals that user code keeps; everything else the base library
/// defines (load, dofile, loadfile, collectgarbage, print, warn) is dropped.
constexpr const char* kept_globals[] = {
  "_G",       "_VERSION", "assert", "error",  "getmetatable",
  "ipairs",   "next",     "pairs",  "pcall",  "rawequal",
  "rawget",   "rawlen",   "rawset", "select", "setmetatable",
  "tonumber", "tostring", "type",   "xpcall",
};

/// The libraries opened on first use.
constexpr const char* lazy_libs[] = {LUA_MATHLIBNAME, LUA_UTF8LIBNAME};

bool is_kept(const char* name) {
  for (const char* kept : kept_globals)
    if (std::strcmp(name, kept) == 0)
      return true;
  return false;
}

/// Removes every global that is not in `kept_globals`.
void drop_unsafe_globals(lua_State* L, int globals) {
  lua_pushnil(L);
  while (lua_next(L, globals) != 0) {
    lua_pop(L, 1);
    // Assigning nil to an existing field is allowed during a traversal.
    if (lua_type(L, -1) != LUA_TSTRING || !is_kept(lua_tostring(L, -1))) {
      lua_pushvalue(L, -1);
      lua_pushnil(L);
      lua_rawset(L, globals);
    }
  }
}

/// Pushes the table of a library, bypassing the loaded-modules registry
/// that only `require` would need.
int push_lib(lua_State* L, lua_CFunction open) {
  lua_pushcfunction(L, open);
  lua_call(L, 0, 1);
  return lua_gettop(L);
}

/// __index of the global table: opens `math` or `utf8` on first use and
/// stores it as a plain global. Upvalue 1 is the random seed.
int open_on_use(lua_State* L) {
  if (lua_type(L, 2) != LUA_TSTRING)
    return 0;
  const char* name = lua_tostring(L, 2);
  if (std::strcmp(name, LUA_MATHLIBNAME) == 0) {
    int lib = push_lib(L, luaopen_math);
    // A fixed seed per node: math.random gives the same sequence each run.
    lua_getfield(L, lib, "randomseed");
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_call(L, 1, 0);
    guard_math(L, lib);
  } else if (std::strcmp(name, LUA_UTF8LIBNAME) == 0) {
    push_lib(L, luaopen_utf8);
  } else {
    return 0;
  }
  lua_pushvalue(L, 2);
  lua_pushvalue(L, -2);
  lua_rawset(L, 1);
  return 1;
}

} // namespace

void open_lua_env(lua_State* L, lua_Integer random_seed) {
  lua_pushglobaltable(L);
  int globals = lua_gettop(L);
  push_lib(L, luaopen_base);
  lua_pop(L, 1);
  drop_unsafe_globals(L, globals);
  guard_base(L, globals);
  int str = push_lib(L, luaopen_string);
  // string.dump would hand out bytecode, the way to crash the VM.
  lua_pushnil(L);
  lua_setfield(L, str, "dump");
  guard_string(L, str);
  lua_setfield(L, globals, LUA_STRLIBNAME);
  // getmetatable("") returns false instead of the string metatable, whose
  // __index is the (already safe) string table.
  lua_pushliteral(L, "");
  lua_getmetatable(L, -1);
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 2);
  int tab = push_lib(L, luaopen_table);
  guard_table(L, tab);
  // Lua 5.1 spelling, still common in user code.
  lua_getfield(L, tab, "unpack");
  lua_setfield(L, globals, "unpack");
  lua_setfield(L, globals, LUA_TABLIBNAME);
  lua_createtable(L, 0, 1);
  lua_pushinteger(L, random_seed);
  lua_pushcclosure(L, open_on_use, 1);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, globals);
  lua_newtable(L);
  lua_setfield(L, globals, "state");
  lua_pushinteger(L, 0);
  lua_setfield(L, globals, "ts");
  lua_pop(L, 1);
}

void open_lazy_libs(lua_State* L, int globals) {
  for (const char* name : lazy_libs) {
    lua_getfield(L, globals, name);
    lua_pop(L, 1);
  }
}

} // namespace shoal
