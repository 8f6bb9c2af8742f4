#include "runtime/lua/lua_sandbox.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <limits>

#include "runtime/core/errc.hpp"
#include "runtime/lua/lua_env.hpp"

namespace shoal {

namespace {

/// CPU time of the calling thread. The time budget counts the call's own
/// work, not the time its thread waits for a core: on a loaded machine a
/// well-behaved call must not trip it, or its node's outputs would depend on
/// the load (SPEC section 3: results depend only on the samples).
int64_t thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

} // namespace

namespace {

/// Instructions between two checks of the budgets. With a count hook set,
/// Lua 5.4 traps every instruction anyway, so a short step costs little.
constexpr int max_step = 1000;

/// Growth from which the allocator checks the clock: big allocations are
/// where C library calls spend their time, out of reach of the count hook.
constexpr size_t big_alloc = 64 * 1024;

struct load_args {
  const char* code;
  size_t size;
  const char* chunk_name;
  lua_Integer seed;
};

// Runs in protected mode: no C++ objects with destructors in this frame.
int load_chunk(lua_State* L) {
  const auto* args = static_cast<const load_args*>(lua_touserdata(L, 1));
  lua_settop(L, 0);
  open_lua_env(L, args->seed);
  if (luaL_loadbufferx(L, args->code, args->size, args->chunk_name, "t")
      != LUA_OK)
    return lua_error(L);
  lua_call(L, 0, 1);
  if (!lua_isfunction(L, -1))
    return luaL_error(L, "chunk returned %s, expected a function",
                      luaL_typename(L, -1));
  lua_pushinteger(L, luaL_ref(L, LUA_REGISTRYINDEX));
  return 1;
}

} // namespace

lua_sandbox::lua_sandbox(const lua_limits& limits)
  : limits_(limits), step_(static_cast<int>(std::clamp<uint64_t>(
                       limits.instructions, 1, max_step))) {
  // Nothing else: `load` creates the state so that it can report errors.
}

lua_sandbox::~lua_sandbox() {
  if (state_ != nullptr)
    lua_close(state_);
}

caf::expected<int> lua_sandbox::load(std::string_view code,
                                     const std::string& chunk_name,
                                     int64_t random_seed) {
  if (state_ != nullptr)
    return make_error(errc::user_code, "lua: sandbox already loaded");
  state_ = lua_newstate(alloc, this);
  if (state_ == nullptr)
    return make_error(errc::user_code,
                      "lua: not enough memory for a state (cap of "
                        + std::to_string(limits_.memory_bytes) + " bytes)");
  load_args args{code.data(), code.size(), chunk_name.c_str(), random_seed};
  auto status = pcall(load_chunk, &args, 1);
  if (status != LUA_OK)
    return make_error(errc::user_code, take_error(status));
  auto ref = static_cast<int>(lua_tointeger(state_, -1));
  lua_pop(state_, 1);
  // Drop what compiling and running the chunk left behind, so that the node
  // starts from its smallest footprint.
  lua_gc(state_, LUA_GCCOLLECT);
  return ref;
}

int lua_sandbox::pcall(lua_CFunction fn, void* arg, int nresults) {
  arm();
  // Neither push allocates: a light C function and a light userdata.
  lua_pushcfunction(state_, fn);
  lua_pushlightuserdata(state_, arg);
  auto status = lua_pcall(state_, 1, nresults, 0);
  armed_ = false;
  return status;
}

std::string lua_sandbox::take_error(int status) {
  std::string msg = "lua: ";
  if (trip_ == trip::instructions) {
    msg += "instruction budget exceeded";
  } else if (trip_ == trip::time) {
    msg += "time budget exceeded";
  } else if (status == LUA_ERRMEM) {
    msg += "not enough memory (cap of ";
    msg += std::to_string(limits_.memory_bytes);
    msg += " bytes)";
  } else {
    // Only conversions that cannot raise or allocate inside Lua.
    switch (lua_type(state_, -1)) {
      case LUA_TSTRING: {
        size_t len = 0;
        const char* str = lua_tolstring(state_, -1, &len);
        msg.append(str, len);
        break;
      }
      case LUA_TNUMBER:
        if (lua_isinteger(state_, -1)) {
          msg += std::to_string(lua_tointeger(state_, -1));
        } else {
          char buf[32];
          std::snprintf(buf, sizeof(buf), "%.17g", lua_tonumber(state_, -1));
          msg += buf;
        }
        break;
      default:
        msg += "error object is a ";
        msg += luaL_typename(state_, -1);
        msg += " value";
    }
  }
  lua_pop(state_, 1);
  // After a stopped call, garbage may fill the heap up to the cap: give the
  // next call its room back now rather than in an emergency collection.
  if (status == LUA_ERRMEM || trip_ != trip::none)
    lua_gc(state_, LUA_GCCOLLECT);
  return msg;
}

lua_sandbox& lua_sandbox::of(lua_State* L) {
  void* ud = nullptr;
  lua_getallocf(L, &ud);
  return *static_cast<lua_sandbox*>(ud);
}

void* lua_sandbox::alloc(void* ud, void* ptr, size_t osize, size_t nsize) {
  auto* self = static_cast<lua_sandbox*>(ud);
  // Without a block, `osize` encodes the kind of object, not a size.
  size_t old = ptr != nullptr ? osize : 0;
  if (nsize == 0) {
    std::free(ptr);
    self->used_ -= old;
    return nullptr;
  }
  if (nsize > old) {
    // Lua requires shrinking to succeed; only growth may be refused.
    size_t others = self->used_ - old;
    size_t cap = self->limits_.memory_bytes;
    if (nsize > cap || others > cap - nsize)
      return nullptr;
    if (self->armed_ && nsize - old >= big_alloc
        && (self->trip_ != trip::none || self->over_time())) {
      if (self->trip_ == trip::none)
        self->set_trip(trip::time);
      return nullptr;
    }
  }
  void* res = std::realloc(ptr, nsize);
  if (res == nullptr)
    return nullptr;
  self->used_ = self->used_ - old + nsize;
  return res;
}

// Runs inside the Lua VM, in protected mode: no C++ objects with destructors.
void lua_sandbox::hook(lua_State* L, lua_Debug*) {
  auto* self = &of(L);
  if (self->trip_ == trip::none) {
    self->remaining_ -= self->step_;
    if (self->remaining_ < 0)
      self->set_trip(trip::instructions);
    else if (self->over_time())
      self->set_trip(trip::time);
    else
      return;
  }
  lua_pushstring(L, self->trip_ == trip::instructions
                      ? "instruction budget exceeded"
                      : "time budget exceeded");
  lua_error(L);
}

void lua_sandbox::arm() {
  constexpr auto max_remaining = std::numeric_limits<int64_t>::max();
  remaining_ = static_cast<int64_t>(
    std::min<uint64_t>(limits_.instructions, max_remaining));
  // A century is as good as no limit, and cannot overflow the clock.
  constexpr int64_t max_budget = 100LL * 365 * 24 * 3600 * 1'000'000'000;
  deadline_ns_ = thread_cpu_ns() + std::min(limits_.time_budget_ns, max_budget);
  trip_ = trip::none;
  armed_ = true;
  // Also restarts the hook's instruction count from zero.
  lua_sethook(state_, hook, LUA_MASKCOUNT, step_);
}

bool lua_sandbox::over_time() const {
  return thread_cpu_ns() > deadline_ns_;
}

void lua_sandbox::set_trip(trip why) {
  trip_ = why;
  // From now on every instruction raises again, so a `pcall` in user code
  // cannot swallow the stop: it unwinds up to our own protected call.
  lua_sethook(state_, hook, LUA_MASKCOUNT, 1);
}

} // namespace shoal
