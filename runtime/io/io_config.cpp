#include "runtime/io/io_config.hpp"

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <string_view>

#include "runtime/core/errc.hpp"
#include "runtime/graph/toml_fields.hpp"

namespace shoal {

namespace {

/// Reads the keys of one `[[source]]` or `[[sink]]` table; errors name the
/// file and the entry ("<file>: sink #3: ...").
class entry_reader {
public:
  entry_reader(const toml::table& tbl, std::string where)
    : tbl_(tbl), where_(std::move(where)) {
    // nop
  }

  caf::error fail(const std::string& reason) const {
    return make_error(errc::invalid_config, where_ + ": " + reason);
  }

  caf::error check_keys(std::initializer_list<std::string_view> allowed,
                        const char* kind) const {
    for (const auto& [key, value] : tbl_)
      if (std::find(allowed.begin(), allowed.end(), key.str())
          == allowed.end()) {
        std::string reason = "unknown key '" + std::string{key.str()}
                             + "' for kind '" + kind + "' (allowed:";
        for (auto name : allowed)
          reason += " " + std::string{name};
        return fail(reason + ")");
      }
    return caf::none;
  }

  caf::error read(std::string_view key, std::string& out, bool required) const {
    auto x = tbl_.get(key);
    if (x == nullptr)
      return required ? fail("missing required key '" + std::string{key} + "'")
                      : caf::none;
    auto str = x->as_string();
    if (str == nullptr)
      return wrong_type(key, "a string", *x);
    if (str->get().empty())
      return fail("'" + std::string{key} + "' must not be empty");
    out = str->get();
    return caf::none;
  }

  caf::error read(std::string_view key, int64_t& out, int64_t min,
                  int64_t max) const {
    auto x = tbl_.get(key);
    if (x == nullptr)
      return caf::none;
    auto num = x->as_integer();
    if (num == nullptr)
      return wrong_type(key, "an integer", *x);
    if (num->get() < min || num->get() > max)
      return fail("'" + std::string{key} + "' must be between "
                  + std::to_string(min) + " and " + std::to_string(max)
                  + ", not " + std::to_string(num->get()));
    out = num->get();
    return caf::none;
  }

  caf::error read(std::string_view key, bool& out) const {
    auto x = tbl_.get(key);
    if (x == nullptr)
      return caf::none;
    auto flag = x->as_boolean();
    if (flag == nullptr)
      return wrong_type(key, "true or false", *x);
    out = flag->get();
    return caf::none;
  }

  caf::error read_qos(int& out) const {
    int64_t qos = out;
    if (auto err = read("qos", qos, 0, 1))
      return err;
    out = static_cast<int>(qos);
    return caf::none;
  }

  template <class Parse>
  caf::error read_address(std::string_view key, std::string* text,
                          net_address& out, Parse parse) const {
    std::string value;
    if (auto err = read(key, value, true))
      return err;
    auto addr = parse(value);
    if (!addr)
      return fail("'" + std::string{key} + "': " + describe(addr.error()));
    out = std::move(*addr);
    if (text != nullptr)
      *text = std::move(value);
    return caf::none;
  }

private:
  caf::error wrong_type(std::string_view key, const char* expected,
                        const toml::node& actual) const {
    return fail("'" + std::string{key} + "' must be " + expected + ", not "
                + toml_type_name(actual));
  }

  const toml::table& tbl_;
  std::string where_;
};

constexpr int64_t max_lateness_ns = int64_t{3600} * 1'000'000'000;

caf::error read_source(const entry_reader& in, const std::string& kind,
                       source_spec& out) {
  if (kind == "mqtt") {
    out.kind = source_kind::mqtt;
    if (auto err = in.check_keys(
          {"kind", "url", "topic", "allowed_lateness_ns", "qos", "session"},
          "mqtt"))
      return err;
    if (auto err = in.read_address("url", &out.url, out.broker, parse_mqtt_url))
      return err;
    if (auto err = in.read("topic", out.topic, true))
      return err;
    if (auto err = in.read_qos(out.qos))
      return err;
    std::string session = to_string(out.session);
    if (auto err = in.read("session", session, false))
      return err;
    if (session == "clean")
      out.session = mqtt_session::clean;
    else if (session != "persistent")
      return in.fail("'session' must be \"persistent\" or \"clean\", not '"
                     + session + "'");
  } else if (kind == "tcp") {
    out.kind = source_kind::tcp;
    if (auto err
        = in.check_keys({"kind", "listen", "allowed_lateness_ns"}, "tcp"))
      return err;
    if (auto err
        = in.read_address("listen", nullptr, out.listen, parse_host_port))
      return err;
  } else {
    return in.fail("unknown kind '" + kind + "' (known: mqtt, tcp)");
  }
  return in.read("allowed_lateness_ns", out.allowed_lateness_ns, 0,
                 max_lateness_ns);
}

caf::error read_sink(const entry_reader& in, const std::string& kind,
                     const std::string& file, sink_spec& out) {
  if (kind == "mqtt") {
    out.kind = sink_kind::mqtt;
    if (auto err = in.check_keys(
          {"kind", "url", "topic_prefix", "qos", "queue"}, "mqtt"))
      return err;
    if (auto err = in.read_address("url", &out.url, out.broker, parse_mqtt_url))
      return err;
    if (auto err = in.read("topic_prefix", out.topic_prefix, false))
      return err;
    if (out.topic_prefix.find_first_of("+#") != std::string::npos)
      return in.fail("'topic_prefix' must not contain '+' or '#'");
    while (!out.topic_prefix.empty() && out.topic_prefix.back() == '/')
      out.topic_prefix.pop_back();
    auto queue = static_cast<int64_t>(out.queue);
    if (auto err = in.read("queue", queue, 1, 100'000'000))
      return err;
    out.queue = static_cast<uint64_t>(queue);
    return in.read_qos(out.qos);
  }
  if (kind == "tcp") {
    out.kind = sink_kind::tcp;
    if (auto err = in.check_keys({"kind", "listen"}, "tcp"))
      return err;
    return in.read_address("listen", nullptr, out.listen, parse_host_port);
  }
  if (kind == "influxdb") {
    out.kind = sink_kind::influxdb;
    if (auto err = in.check_keys(
          {"kind", "url", "database", "measurement", "buffer"}, "influxdb"))
      return err;
    if (auto err = in.read_address("url", &out.url, out.server, parse_http_url))
      return err;
    if (auto err = in.read("database", out.database, true))
      return err;
    if (auto err = in.read("measurement", out.measurement, false))
      return err;
    auto buffer = static_cast<int64_t>(out.buffer);
    if (auto err = in.read("buffer", buffer, 1, 100'000'000))
      return err;
    out.buffer = static_cast<uint64_t>(buffer);
    return caf::none;
  }
  if (kind == "csv" || kind == "jsonl") {
    out.kind = kind == "csv" ? sink_kind::csv : sink_kind::jsonl;
    if (auto err = in.check_keys({"kind", "path", "truncate"}, kind.c_str()))
      return err;
    if (auto err = in.read("path", out.path, true))
      return err;
    if (auto err = in.read("truncate", out.truncate))
      return err;
    namespace fs = std::filesystem;
    fs::path p{out.path};
    if (p.is_relative())
      p = fs::absolute(fs::path{file}.parent_path() / p);
    out.path = p.lexically_normal().string();
    return caf::none;
  }
  return in.fail("unknown kind '" + kind
                 + "' (known: mqtt, tcp, csv, jsonl, influxdb)");
}

/// Calls `fn(reader, kind)` for each table of the array `key` of `tbl`.
template <class Fn>
caf::error for_each_entry(const toml::table& tbl, const std::string& file,
                          const char* key, Fn fn) {
  auto node = tbl.get(key);
  if (node == nullptr)
    return caf::none;
  auto arr = node->as_array();
  if (arr == nullptr || !arr->is_array_of_tables())
    return make_error(errc::invalid_config,
                      file + ": '" + key + "' must be an array of tables ([["
                        + key + "]]), not " + toml_type_name(*node));
  size_t index = 0;
  for (auto& elem : *arr) {
    ++index;
    entry_reader in{*elem.as_table(),
                    file + ": " + key + " #" + std::to_string(index)};
    std::string kind;
    if (auto err = in.read("kind", kind, true))
      return err;
    if (auto err = fn(in, kind))
      return err;
  }
  return caf::none;
}

} // namespace

const char* to_string(source_kind x) {
  return x == source_kind::mqtt ? "mqtt" : "tcp";
}

const char* to_string(sink_kind x) {
  switch (x) {
    case sink_kind::mqtt: return "mqtt";
    case sink_kind::tcp: return "tcp";
    case sink_kind::csv: return "csv";
    case sink_kind::jsonl: return "jsonl";
    case sink_kind::influxdb: return "influxdb";
  }
  return "unknown";
}

const char* to_string(mqtt_session x) {
  return x == mqtt_session::persistent ? "persistent" : "clean";
}

caf::expected<io_config> parse_io_config(const toml::table& tbl,
                                         const std::string& file) {
  io_config result;
  auto err = for_each_entry(tbl, file, "source",
                            [&](const entry_reader& in, const std::string& k) {
                              source_spec spec;
                              auto e = read_source(in, k, spec);
                              if (!e)
                                result.sources.push_back(std::move(spec));
                              return e;
                            });
  if (err)
    return err;
  err = for_each_entry(tbl, file, "sink",
                       [&](const entry_reader& in, const std::string& k) {
                         sink_spec spec;
                         auto e = read_sink(in, k, file, spec);
                         if (!e)
                           result.sinks.push_back(std::move(spec));
                         return e;
                       });
  if (err)
    return err;
  return result;
}

} // namespace shoal
