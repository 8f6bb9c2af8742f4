#include "runtime/cluster/member_config.hpp"

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <regex>
#include <string_view>
#include <toml++/toml.h>

#include "runtime/core/errc.hpp"
#include "runtime/core/log_sink.hpp"
#include "runtime/graph/toml_fields.hpp"

namespace shoal {

namespace {

/// Reads the keys of one table of the file; errors say "<file>: [<table>]".
class table_reader {
public:
  table_reader(const toml::table* tbl, std::string where)
    : tbl_(tbl), where_(std::move(where)) {
    // nop
  }

  caf::error fail(std::string_view key, const std::string& reason) const {
    return make_error(errc::invalid_config,
                      where_ + " '" + std::string{key} + "': " + reason);
  }

  caf::error check_keys(std::initializer_list<std::string_view> allowed) const {
    if (tbl_ == nullptr)
      return caf::none;
    for (const auto& [key, value] : *tbl_)
      if (std::find(allowed.begin(), allowed.end(), key.str())
          == allowed.end()) {
        std::string list;
        for (auto name : allowed)
          list += " " + std::string{name};
        return make_error(errc::invalid_config, where_ + ": unknown key '"
                                                  + std::string{key.str()}
                                                  + "' (allowed:" + list + ")");
      }
    return caf::none;
  }

  const toml::node* get(std::string_view key) const {
    return tbl_ == nullptr ? nullptr : tbl_->get(key);
  }

  caf::error read(std::string_view key, std::string& out, bool required) const {
    auto x = get(key);
    if (x == nullptr)
      return required ? fail(key, "missing") : caf::none;
    auto str = x->as_string();
    if (str == nullptr)
      return fail(key,
                  std::string{"must be a string, not "} + toml_type_name(*x));
    if (str->get().empty())
      return fail(key, "must not be empty");
    out = str->get();
    return caf::none;
  }

  caf::error read(std::string_view key, int64_t& out, int64_t min,
                  int64_t max) const {
    auto x = get(key);
    if (x == nullptr)
      return caf::none;
    auto i = x->as_integer();
    if (i == nullptr)
      return fail(key,
                  std::string{"must be an integer, not "} + toml_type_name(*x));
    if (i->get() < min || i->get() > max)
      return fail(key, "must be from " + std::to_string(min) + " to "
                         + std::to_string(max) + ", not "
                         + std::to_string(i->get()));
    out = i->get();
    return caf::none;
  }

  caf::error read(std::string_view key, net_address& out, bool required) const {
    std::string text;
    if (auto err = read(key, text, required))
      return err;
    if (text.empty())
      return caf::none;
    auto addr = parse_host_port(text);
    if (!addr)
      return fail(key, describe(addr.error()));
    out = *addr;
    return caf::none;
  }

  caf::error read(std::string_view key, std::vector<net_address>& out) const {
    auto x = get(key);
    if (x == nullptr)
      return caf::none;
    auto arr = x->as_array();
    if (arr == nullptr)
      return fail(key, std::string{"must be an array of \"host:port\", not "}
                         + toml_type_name(*x));
    for (size_t i = 0; i < arr->size(); ++i) {
      auto str = (*arr)[i].as_string();
      if (str == nullptr)
        return fail(key, "entry " + std::to_string(i + 1)
                           + " must be a string, not "
                           + toml_type_name((*arr)[i]));
      auto addr = parse_host_port(str->get());
      if (!addr)
        return fail(key, "entry " + std::to_string(i + 1) + ": "
                           + describe(addr.error()));
      if (addr->port == 0)
        return fail(key,
                    "entry " + std::to_string(i + 1) + ": a seed needs a port");
      out.push_back(*addr);
    }
    return caf::none;
  }

private:
  const toml::table* tbl_;
  std::string where_;
};

caf::error read_node(const table_reader& r, member_config& cfg) {
  if (auto err = r.check_keys({"name", "listen", "http", "threads", "insecure",
                               "data_dir", "log_level"}))
    return err;
  if (auto err = r.read("name", cfg.name, true))
    return err;
  static const std::regex name_rx{"[A-Za-z0-9_.:-]{1,128}"};
  if (!std::regex_match(cfg.name, name_rx))
    return r.fail("name",
                  "must match [A-Za-z0-9_.:-]{1,128}, not '" + cfg.name + "'");
  if (auto err = r.read("listen", cfg.listen, true))
    return err;
  if (cfg.listen.port == 0)
    return r.fail("listen", "needs a port other than 0 (others connect to it)");
  if (auto x = r.get("insecure")) {
    auto b = x->as_boolean();
    if (b == nullptr)
      return r.fail("insecure", std::string{"must be a boolean, not "}
                                  + toml_type_name(*x));
    cfg.insecure = b->get();
  }
  return caf::none;
}

/// The loopback rule of SPEC section 9, once `[security]` is known.
caf::error check_exposure(const table_reader& r, const member_config& cfg) {
  if (!cfg.listen.is_loopback() && !cfg.insecure && !cfg.security.enabled())
    return r.fail("listen",
                  cfg.listen.to_string()
                    + " is not a loopback address, and the member port has "
                      "no authentication: anyone who reaches it can change "
                      "or stop the cluster; listen on 127.0.0.1, configure "
                      "[security], or set insecure = true to accept that");
  return caf::none;
}

caf::error read_node_rest(const table_reader& r, member_config& cfg,
                          const std::filesystem::path& dir) {
  if (auto err = r.read("http", cfg.http, false))
    return err;
  cfg.has_http = r.get("http") != nullptr;
  int64_t threads = 0;
  if (auto err = r.read("threads", threads, 1, 1024))
    return err;
  cfg.threads = static_cast<size_t>(threads);
  if (auto x = r.get("log_level")) {
    auto str = x->as_string();
    if (str == nullptr || !parse_log_level(str->get()))
      return r.fail("log_level", "must be one of debug, info, warn, error");
    cfg.log_level = str->get();
  }
  // Unlike the other strings, an empty data_dir is allowed: it says "none"
  // as plainly as leaving the key out.
  if (auto x = r.get("data_dir")) {
    auto str = x->as_string();
    if (str == nullptr)
      return r.fail("data_dir",
                    std::string{"must be a string, not "} + toml_type_name(*x));
    if (!str->get().empty())
      cfg.data_dir = (dir / str->get()).lexically_normal().string();
  }
  return caf::none;
}

caf::error read_cluster(const table_reader& r, member_config& cfg,
                        const std::filesystem::path& dir) {
  if (auto err
      = r.check_keys({"seeds", "graph", "heartbeat_ms", "failure_timeout_ms",
                      "replay_buffer_rows", "replay_page_rows",
                      "checkpoint_interval_ms", "checkpoint_min_pause_ms"}))
    return err;
  if (auto err = r.read("seeds", cfg.seeds))
    return err;
  if (auto err = r.read("graph", cfg.graph, false))
    return err;
  if (!cfg.graph.empty())
    cfg.graph = (dir / cfg.graph).lexically_normal().string();
  if (auto err = r.read("heartbeat_ms", cfg.heartbeat_ms, 10, 60'000))
    return err;
  if (auto err
      = r.read("failure_timeout_ms", cfg.failure_timeout_ms, 100, 600'000))
    return err;
  if (cfg.failure_timeout_ms <= cfg.heartbeat_ms)
    return r.fail("failure_timeout_ms", "must be longer than heartbeat_ms");
  if (auto err
      = r.read("replay_buffer_rows", cfg.replay_buffer_rows, 1, 100'000'000))
    return err;
  if (auto err
      = r.read("replay_page_rows", cfg.replay_page_rows, 1, 10'000'000))
    return err;
  if (auto err = r.read("checkpoint_interval_ms", cfg.checkpoint_interval_ms, 0,
                        3'600'000))
    return err;
  if (auto err = r.read("checkpoint_min_pause_ms", cfg.checkpoint_min_pause_ms,
                        0, 3'600'000))
    return err;
  return caf::none;
}

caf::error read_security(const table_reader& r, member_config& cfg,
                         const std::filesystem::path& dir) {
  if (auto err = r.check_keys({"cert", "key", "ca"}))
    return err;
  auto& files = cfg.security;
  for (auto [key, out] :
       {std::pair{"cert", &files.cert}, std::pair{"key", &files.key},
        std::pair{"ca", &files.ca}}) {
    if (auto err = r.read(key, *out, true))
      return err;
    *out = (dir / *out).lexically_normal().string();
  }
  return caf::none;
}

} // namespace

caf::expected<member_config> load_member_config(const std::string& path) {
  toml::table doc;
  try {
    doc = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    auto& where = e.source().begin;
    return make_error(errc::invalid_config,
                      path + ":" + std::to_string(where.line) + ":"
                        + std::to_string(where.column) + ": "
                        + std::string{e.description()});
  }
  member_config cfg;
  cfg.file = path;
  for (const auto& [key, value] : doc) {
    auto k = key.str();
    if (k != "node" && k != "cluster" && k != "security" && k != "source"
        && k != "sink" && k != "http")
      return make_error(
        errc::invalid_config,
        path + ": unknown table '" + std::string{k}
          + "' (allowed: node cluster security http source sink)");
    if ((k == "node" || k == "cluster" || k == "security" || k == "http")
        && !value.is_table())
      return make_error(errc::invalid_config,
                        path + ": '" + std::string{k} + "' must be a table");
  }
  auto node = doc["node"].as_table();
  if (node == nullptr)
    return make_error(errc::invalid_config,
                      path + ": missing table [node] (name and listen)");
  table_reader node_reader{node, path + ": [node]"};
  if (auto err = read_node(node_reader, cfg))
    return err;
  auto dir = std::filesystem::absolute(path).parent_path();
  if (auto security = doc["security"].as_table())
    if (auto err = read_security(table_reader{security, path + ": [security]"},
                                 cfg, dir))
      return err;
  if (auto err = check_exposure(node_reader, cfg))
    return err;
  if (auto err = read_node_rest(node_reader, cfg, dir))
    return err;
  if (auto err = read_cluster(
        table_reader{doc["cluster"].as_table(), path + ": [cluster]"}, cfg,
        dir))
    return err;
  auto node_metrics = read_node_metrics_options(doc["http"].as_table(), path);
  if (!node_metrics)
    return std::move(node_metrics.error());
  cfg.node_metrics = std::move(*node_metrics);
  auto io = parse_io_config(doc, path);
  if (!io)
    return std::move(io.error());
  cfg.io = std::move(*io);
  return cfg;
}

} // namespace shoal
