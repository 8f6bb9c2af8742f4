#include "runtime/lua_env.hpp"

#include <cstring>

namespace shoal {

namespace {

/// The globals that user code keeps; everything else the base library
/// defines (load, dofile, loadfile, collectgarbage, print, warn) is dropped.
constexpr const char* kept_globals[] = {
  "_G",           "_VERSION",      "assert",        "error",  "getmetatable",
  "ipairs",       "next",          "pairs",         "pcall",  "rawequal",
  "rawget",       "rawlen",        "rawset",        "select", "setmetatable",
  "tonumber",     "tostring",      "type",          "xpcall", LUA_STRLIBNAME,
  LUA_TABLIBNAME, LUA_MATHLIBNAME, LUA_UTF8LIBNAME,
};

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

} // namespace

void open_lua_env(lua_State* L, lua_Integer random_seed) {
  const luaL_Reg libs[] = {
    {LUA_GNAME, luaopen_base},       {LUA_STRLIBNAME, luaopen_string},
    {LUA_TABLIBNAME, luaopen_table}, {LUA_MATHLIBNAME, luaopen_math},
    {LUA_UTF8LIBNAME, luaopen_utf8},
  };
  for (const auto& lib : libs) {
    luaL_requiref(L, lib.name, lib.func, 1);
    lua_pop(L, 1);
  }
  lua_pushglobaltable(L);
  int globals = lua_gettop(L);
  drop_unsafe_globals(L, globals);
  // Lua 5.1 spelling, still common in user code.
  lua_getfield(L, globals, LUA_TABLIBNAME);
  lua_getfield(L, -1, "unpack");
  lua_setfield(L, globals, "unpack");
  lua_pop(L, 1);
  // string.dump would hand out bytecode, the way to crash the VM.
  lua_getfield(L, globals, LUA_STRLIBNAME);
  lua_pushnil(L);
  lua_setfield(L, -2, "dump");
  lua_pop(L, 1);
  // getmetatable("") returns false instead of the string metatable, whose
  // __index is the (already safe) string table.
  lua_pushliteral(L, "");
  lua_getmetatable(L, -1);
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 2);
  // A fixed seed per node: math.random gives the same sequence on every run.
  lua_getfield(L, globals, LUA_MATHLIBNAME);
  lua_getfield(L, -1, "randomseed");
  lua_pushinteger(L, random_seed);
  lua_call(L, 1, 0);
  lua_pop(L, 1);
  install_lua_guards(L, globals);
  lua_newtable(L);
  lua_setfield(L, globals, "state");
  lua_pushinteger(L, 0);
  lua_setfield(L, globals, "ts");
  lua_pop(L, 1);
}

} // namespace shoal
