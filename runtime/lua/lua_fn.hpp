// User code in Lua 5.4 as a feature or model function (SPEC section 5).
//
// `make_lua_fn` compiles a node's chunk in a fresh sandboxed `lua_State` that
// the returned `node_fn` owns alone: one state per node, never shared, so the
// function is as thread-safe as any `node_fn` (one caller at a time, any
// thread). The sandbox offers only safe parts of the base library plus
// `string`, `table`, `math` and `utf8`, caps the state's memory and bounds
// every call by an instruction and a CPU-time budget. See docs/lua.md.

#pragma once

#include <cstddef>
#include <cstdint>

#include "caf/expected.hpp"

#include "runtime/functions/node_fn.hpp"
#include "runtime/graph/graph_spec.hpp"

namespace shoal {

/// Resource limits of one Lua node.
struct lua_limits {
  /// Bytes the node's state may hold (interpreter, code and data).
  size_t memory_bytes = 4 << 20;
  /// Lua VM instructions per call (and for the chunk's run at load).
  uint64_t instructions = 10'000'000;
  /// CPU time of the calling thread per call (and for the chunk's run at
  /// load); time spent waiting for a core does not count.
  int64_t time_budget_ns = 50'000'000;
};

/// Builds a Lua feature or model from `spec.code` (the chunk returns a
/// function) with the default limits. Compile errors and a chunk that does
/// not return a function are errors naming the node:
/// `node_error(spec, "lua: <message>")`.
caf::expected<node_fn_ptr> make_lua_fn(const node_spec& spec);

/// Builds a Lua feature or model with the given limits.
caf::expected<node_fn_ptr> make_lua_fn(const node_spec& spec,
                                       const lua_limits& limits);

} // namespace shoal
