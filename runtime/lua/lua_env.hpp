// The global environment of a sandboxed Lua state (see docs/lua.md).
//
// `open_lua_env` opens the base, string, table, math and utf8 libraries, keeps
// only the safe globals, closes the known ways out (string.dump, the string
// metatable, precompiled code, user code that Lua would run with hooks off:
// __gc finalizers and xpcall handlers of a stopped call) and installs guards
// on the library functions whose C loops the instruction hook cannot see.
// `math` and `utf8` are opened on first use, through an __index metamethod on
// the global table, which saves a third of an idle node's memory.
//
// All functions here raise Lua errors: call them only inside a protected
// call, with no C++ objects of ours on the way.

#pragma once

#include <lua.hpp>

namespace shoal {

/// Builds the environment in the fresh state `L`: the safe libraries, the
/// global table `state` (empty) and the global `ts` (0). Seeds `math.random`
/// with `random_seed` so that results are deterministic.
void open_lua_env(lua_State* L, lua_Integer random_seed);

/// Opens the libraries not opened yet into the global table at `globals`,
/// before user code replaces that table's metatable.
void open_lazy_libs(lua_State* L, int globals);

/// Guards the base functions in the global table at `globals`.
void guard_base(lua_State* L, int globals);

/// Guards the string library table at `lib`.
void guard_string(lua_State* L, int lib);

/// Guards the table library table at `lib`.
void guard_table(lua_State* L, int lib);

/// Guards the math library table at `lib`.
void guard_math(lua_State* L, int lib);

} // namespace shoal
