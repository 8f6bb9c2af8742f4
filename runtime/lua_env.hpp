// The global environment of a sandboxed Lua state (see docs/lua.md).
//
// `open_lua_env` opens the base, string, table, math and utf8 libraries, keeps
// only the safe globals, closes the known ways out (string.dump, the string
// metatable, precompiled code, user code that Lua would run with hooks off:
// __gc finalizers and xpcall handlers of a stopped call) and installs guards
// on the library functions whose C loops the instruction hook cannot see. Both
// functions raise Lua errors: call them only inside a protected call, with no
// C++ objects of ours on the way.

#pragma once

#include <lua.hpp>

namespace shoal {

/// Builds the environment in the fresh state `L`: the safe libraries, the
/// global table `state` (empty) and the global `ts` (0). Seeds `math.random`
/// with `random_seed` so that results are deterministic.
void open_lua_env(lua_State* L, lua_Integer random_seed);

/// Replaces the library functions that could run unbounded C loops with
/// guarded versions; `globals` is the stack index of the global table.
void install_lua_guards(lua_State* L, int globals);

} // namespace shoal
