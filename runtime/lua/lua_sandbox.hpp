// One sandboxed Lua state with its memory cap and per-call budgets.
//
// A `lua_sandbox` owns its `lua_State` (closed in the destructor) and counts
// every byte the state allocates through its own `lua_Alloc`, refusing growth
// past `lua_limits::memory_bytes`. Protected calls made through `pcall` run
// under a count hook that stops them once the instruction budget or the time
// budget is spent; the stop cannot be swallowed by a `pcall` in user code.
// Not thread-safe: one caller at a time (the owning node).
//
// Lua reports errors with longjmp. Every Lua API call that may raise runs
// inside `pcall` here, in C functions that hold no C++ objects; the code
// outside only uses calls that cannot raise.

#pragma once

#include <cstddef>
#include <cstdint>
#include <lua.hpp>
#include <string>
#include <string_view>

#include "caf/expected.hpp"

#include "runtime/lua/lua_fn.hpp"

namespace shoal {

class lua_sandbox {
public:
  explicit lua_sandbox(const lua_limits& limits);

  ~lua_sandbox();

  lua_sandbox(const lua_sandbox&) = delete;
  lua_sandbox& operator=(const lua_sandbox&) = delete;

  /// Creates the state and its sandboxed environment, then compiles `code`
  /// (text only) as chunk `chunk_name` and runs it under the budgets.
  /// Returns a registry reference to the function the chunk returned, or an
  /// `errc::user_code` error whose text reads "lua: <message>".
  caf::expected<int> load(std::string_view code, const std::string& chunk_name,
                          int64_t random_seed);

  /// Calls `fn(arg)` in protected mode under fresh budgets, with `nresults`
  /// results; returns the `lua_pcall` status. On failure the error object is
  /// on the stack: take it with `take_error`.
  int pcall(lua_CFunction fn, void* arg, int nresults);

  /// Pops the error object of a failed `pcall` and renders it as
  /// "lua: <message>"; a spent budget overrides what user code made of it.
  std::string take_error(int status);

  lua_State* state() const {
    return state_;
  }

  const lua_limits& limits() const {
    return limits_;
  }

  /// Whether the current call has spent one of its budgets.
  bool stopped() const {
    return trip_ != trip::none;
  }

  /// Bytes the state holds right now, as counted by the allocator.
  size_t used_bytes() const {
    return used_;
  }

  /// Returns the sandbox that owns `L`.
  static lua_sandbox& of(lua_State* L);

private:
  enum class trip : uint8_t { none, instructions, time };

  static void* alloc(void* ud, void* ptr, size_t osize, size_t nsize);
  static void hook(lua_State* L, lua_Debug* ar);

  void arm();
  bool over_time() const;
  void set_trip(trip why);

  lua_limits limits_;
  lua_State* state_ = nullptr;
  size_t used_ = 0;
  /// Instructions between two hook calls.
  int step_ = 1000;
  /// Instructions left in the current call.
  int64_t remaining_ = 0;
  /// Thread CPU time at which the current call is over its time budget.
  int64_t deadline_ns_ = 0;
  bool armed_ = false;
  trip trip_ = trip::none;
};

} // namespace shoal
