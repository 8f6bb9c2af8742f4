#include "runtime/lua/lua_fn.hpp"

#include <cstring>
#include <string>
#include <utility>

#include "runtime/core/errc.hpp"
#include "runtime/graph/graph_error.hpp"
#include "runtime/lua/lua_sandbox.hpp"

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

// -- moving `state` ----------------------------------------------------------
//
// The global table `state` is written as tagged values: nil ends a table,
// booleans, integers, floats and strings as themselves, tables as their
// pairs. Functions, userdata, threads and cycles cannot move. With `math`
// opened, the state of math.random (the userdata that is the first upvalue
// of math.random) moves too, so the sequence goes on where it was.

enum class lua_tag : uint8_t { end, boolean, integer, number, string, table };

/// Nesting allowed in `state` (deeper is refused, and so are cycles).
constexpr int max_state_depth = 32;

bool save_value(lua_State* L, int idx, state_writer& w, int depth,
                std::string& err);

bool save_table(lua_State* L, int idx, state_writer& w, int depth,
                std::string& err) {
  if (depth > max_state_depth) {
    err = "lua: state nests deeper than " + std::to_string(max_state_depth)
          + " tables (or has a cycle)";
    return false;
  }
  idx = lua_absindex(L, idx);
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {
    // Keys first, then values; neither is converted in place.
    if (!save_value(L, -2, w, depth, err)
        || !save_value(L, -1, w, depth, err)) {
      lua_pop(L, 2);
      return false;
    }
    lua_pop(L, 1);
  }
  w.put(lua_tag::end);
  return true;
}

bool save_value(lua_State* L, int idx, state_writer& w, int depth,
                std::string& err) {
  switch (lua_type(L, idx)) {
    case LUA_TBOOLEAN:
      w.put(lua_tag::boolean);
      w.put(static_cast<uint8_t>(lua_toboolean(L, idx)));
      return true;
    case LUA_TNUMBER:
      if (lua_isinteger(L, idx)) {
        w.put(lua_tag::integer);
        w.put(static_cast<int64_t>(lua_tointeger(L, idx)));
      } else {
        w.put(lua_tag::number);
        w.put(static_cast<double>(lua_tonumber(L, idx)));
      }
      return true;
    case LUA_TSTRING: {
      size_t n = 0;
      const char* x = lua_tolstring(L, idx, &n);
      w.put(lua_tag::string);
      w.put_string(std::string{x, n});
      return true;
    }
    case LUA_TTABLE:
      w.put(lua_tag::table);
      return save_table(L, idx, w, depth + 1, err);
    default:
      err = std::string{"lua: state holds a "} + luaL_typename(L, idx)
            + ", which cannot move to another member";
      return false;
  }
}

/// What `load_state` reads from, in protected mode.
struct load_args {
  state_reader* r;
  bool bad = false;
};

/// Pushes the value whose tag was just read; false on a damaged state.
bool push_value(lua_State* L, lua_tag tag, state_reader& r, int depth) {
  switch (tag) {
    case lua_tag::boolean: lua_pushboolean(L, r.get<uint8_t>()); break;
    case lua_tag::integer: lua_pushinteger(L, r.get<int64_t>()); break;
    case lua_tag::number: lua_pushnumber(L, r.get<double>()); break;
    case lua_tag::string: {
      auto x = r.get_string();
      lua_pushlstring(L, x.data(), x.size());
      break;
    }
    case lua_tag::table: {
      if (depth > max_state_depth)
        return false;
      lua_newtable(L);
      for (;;) {
        auto k = r.get<lua_tag>();
        if (!r.ok())
          return false;
        if (k == lua_tag::end)
          break;
        if (!push_value(L, k, r, depth + 1))
          return false;
        auto v = r.get<lua_tag>();
        if (!r.ok() || v == lua_tag::end || !push_value(L, v, r, depth + 1))
          return false;
        lua_rawset(L, -3);
      }
      break;
    }
    default: return false;
  }
  return r.ok();
}

// Runs in protected mode; leaves the new `state` table on the stack.
int load_state(lua_State* L) {
  auto* args = static_cast<load_args*>(lua_touserdata(L, 1));
  luaL_checkstack(L, 2 * max_state_depth + 8, "state too deep");
  args->bad = !push_value(L, lua_tag::table, *args->r, 0);
  return args->bad ? 0 : 1;
}

/// The random state userdata of `math.random`, pushed, or nothing (false)
/// when math was not opened.
bool push_random_state(lua_State* L, bool open) {
  int base = lua_gettop(L);
  lua_pushglobaltable(L);
  if (open)
    lua_getfield(L, -1, "math"); // opens it on first use
  else
    lua_rawget(L, (lua_pushliteral(L, "math"), -2));
  if (!lua_istable(L, -1)) {
    lua_settop(L, base);
    return false;
  }
  lua_getfield(L, -1, "random");
  bool found = lua_getupvalue(L, -1, 1) != nullptr && lua_isuserdata(L, -1);
  if (!found) {
    lua_settop(L, base);
    return false;
  }
  lua_replace(L, -4);
  lua_pop(L, 2);
  return true;
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

  bool save(state_writer& w, std::string& err) const override {
    lua_State* L = sandbox_.state();
    int top = lua_gettop(L);
    lua_pushglobaltable(L);
    lua_pushliteral(L, "state");
    lua_rawget(L, -2);
    bool ok = true;
    if (lua_istable(L, -1)) {
      w.put(lua_tag::table);
      ok = save_table(L, -1, w, 1, err);
    } else {
      // `state` was replaced by a non-table: it moves as it is.
      ok = save_value(L, -1, w, 1, err);
    }
    lua_settop(L, top);
    if (!ok)
      return false;
    if (push_random_state(L, false)) {
      auto n = lua_rawlen(L, -1);
      w.put(static_cast<uint8_t>(1));
      w.put_string(
        std::string{static_cast<const char*>(lua_touserdata(L, -1)), n});
      lua_settop(L, top);
    } else {
      w.put(static_cast<uint8_t>(0));
    }
    return true;
  }

  bool load(state_reader& r, std::string& err) override {
    lua_State* L = sandbox_.state();
    int top = lua_gettop(L);
    auto tag = r.get<lua_tag>();
    if (!r.ok() || tag != lua_tag::table) {
      err = "lua: the moved state is not a table";
      return false;
    }
    load_args args{&r};
    auto status = sandbox_.pcall(load_state, &args, 1);
    if (status != LUA_OK) {
      err = sandbox_.take_error(status);
      lua_settop(L, top);
      return false;
    }
    if (args.bad) {
      lua_settop(L, top);
      err = "lua: the moved state does not read back";
      return false;
    }
    lua_pushglobaltable(L);
    lua_pushliteral(L, "state");
    lua_pushvalue(L, -3);
    lua_rawset(L, -3);
    lua_settop(L, top);
    if (r.get<uint8_t>() == 1) {
      auto bytes = r.get_string();
      if (!r.ok() || !push_random_state(L, true)
          || lua_rawlen(L, -1) != bytes.size()) {
        lua_settop(L, top);
        err = "lua: the moved random state does not fit";
        return false;
      }
      std::memcpy(lua_touserdata(L, -1), bytes.data(), bytes.size());
      lua_settop(L, top);
    }
    return r.ok();
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
