#include "runtime/io/io_config.hpp"

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <string_view>

#include "runtime/core/errc.hpp"
#include "runtime/graph/toml_fields.hpp"
#include "runtime/io/config_entry.hpp"
#include "runtime/io/mqtt_config.hpp"

namespace shoal {

namespace {

constexpr int64_t max_lateness_ns = int64_t{3600} * 1'000'000'000;

caf::error read_source(const config_entry& in, const std::string& kind,
                       source_spec& out) {
  if (kind == "mqtt") {
    out.kind = source_kind::mqtt;
    if (auto err = read_mqtt_source(in, out))
      return err;
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

caf::error read_sink(const config_entry& in, const std::string& kind,
                     sink_spec& out) {
  if (kind == "mqtt") {
    out.kind = sink_kind::mqtt;
    return read_mqtt_sink(in, out);
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
    out.path = in.resolve(out.path);
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
    config_entry in{*elem.as_table(), file,
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

std::string topic_list(const source_spec& spec) {
  auto result = spec.topic;
  for (const auto& t : spec.topics)
    result += (result.empty() ? "" : ",") + t;
  return result;
}

caf::expected<io_config> parse_io_config(const toml::table& tbl,
                                         const std::string& file) {
  io_config result;
  auto err = for_each_entry(tbl, file, "source",
                            [&](const config_entry& in, const std::string& k) {
                              source_spec spec;
                              auto e = read_source(in, k, spec);
                              if (!e)
                                result.sources.push_back(std::move(spec));
                              return e;
                            });
  if (err)
    return err;
  err = for_each_entry(tbl, file, "sink",
                       [&](const config_entry& in, const std::string& k) {
                         sink_spec spec;
                         auto e = read_sink(in, k, spec);
                         if (!e)
                           result.sinks.push_back(std::move(spec));
                         return e;
                       });
  if (err)
    return err;
  return result;
}

} // namespace shoal
