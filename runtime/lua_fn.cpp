#include "runtime/lua_fn.hpp"

#include <utility>

#include "runtime/errc.hpp"
#include "runtime/graph_error.hpp"
#include "runtime/lua_sandbox.hpp"

namespace shoal {

namespace {

struct call_args {
  int64_t ts;
  const double* args;
  size_t n;
  int fn_ref;
};

// Runs in protected mode: no C++ objects with destructors in this frame.
// Nothing here allocates in the common case: "ts" is an existing key and a
// cached string, and numbers live on the stack.
int call_user_fn(lua_State* L) {
  const auto* call = static_cast<const call_args*>(lua_touserdata(L, 1));
  lua_pushglobaltable(L);
  lua_pushliteral(L, "ts");
  lua_pushinteger(L, call->ts);
  lua_rawset(L, -3);
  lua_rawgeti(L, LUA_REGISTRYINDEX, call->fn_ref);
  auto n = static_cast<int>(call->n);
  luaL_checkstack(L, n, "too many inputs");
  for (int i = 0; i < n; ++i)
    lua_pushnumber(L, call->args[i]);
  lua_call(L, n, 1);
  return 1;
}

/// Names errors after the node: "pump1.power:3: ..." for inline code, the
/// file for code read from a file.
std::string chunk_name(const node_spec& spec) {
  return spec.path.empty() ? "=" + spec.name : "@" + spec.path;
}

/// FNV-1a of the node name: each node its own, reproducible random sequence.
int64_t seed_of(const std::string& name) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : name) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return static_cast<int64_t>(hash);
}

class lua_fn final : public node_fn {
public:
  explicit lua_fn(const lua_limits& limits) : sandbox_(limits) {
    // nop
  }

  caf::error init(const node_spec& spec) {
    auto ref = sandbox_.load(spec.code, chunk_name(spec), seed_of(spec.name));
    if (!ref)
      return node_error(spec, describe(ref.error()));
    fn_ref_ = *ref;
    return caf::none;
  }

  fn_status call(int64_t ts, const double* args, size_t n, double& out,
                 std::string& err) override {
    call_args call{ts, args, n, fn_ref_};
    auto status = sandbox_.pcall(call_user_fn, &call, 1);
    if (status != LUA_OK) {
      err = sandbox_.take_error(status);
      return fn_status::error;
    }
    lua_State* L = sandbox_.state();
    auto result = fn_status::value;
    switch (lua_type(L, -1)) {
      case LUA_TNUMBER: out = lua_tonumber(L, -1); break;
      case LUA_TNIL: result = fn_status::none; break;
      default:
        err = "lua: function returned ";
        err += luaL_typename(L, -1);
        err += ", expected a number or nil";
        result = fn_status::error;
    }
    lua_pop(L, 1);
    return result;
  }

  size_t memory_bytes() const override {
    return sizeof(*this) + sandbox_.used_bytes();
  }

private:
  lua_sandbox sandbox_;
  int fn_ref_ = LUA_NOREF;
};

} // namespace

caf::expected<node_fn_ptr> make_lua_fn(const node_spec& spec) {
  return make_lua_fn(spec, lua_limits{});
}

caf::expected<node_fn_ptr> make_lua_fn(const node_spec& spec,
                                       const lua_limits& limits) {
  if (spec.code.empty())
    return node_error(spec, "lua: no code (give code or path)");
  auto fn = std::make_unique<lua_fn>(limits);
  if (auto err = fn->init(spec))
    return err;
  return node_fn_ptr{std::move(fn)};
}

} // namespace shoal
