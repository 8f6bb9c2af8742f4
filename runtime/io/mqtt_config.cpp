#include "runtime/io/mqtt_config.hpp"

#include <fstream>
#include <sstream>

namespace shoal {

namespace {

/// The keys every MQTT source and sink takes besides its own.
const std::vector<std::string_view> connection_keys
  = {"username", "password", "password_file", "tls",
     "ca",       "cert",     "key",           "tls_insecure"};

caf::error read_password(const config_entry& in, mqtt_connection& out) {
  if (in.has("password") && in.has("password_file"))
    return in.fail("'password' and 'password_file' together: give one");
  if (auto err = in.read("password", out.password, false))
    return err;
  std::string path;
  if (auto err = in.read_path("password_file", path))
    return err;
  if (!path.empty()) {
    std::ifstream file{path};
    std::stringstream text;
    text << file.rdbuf();
    out.password = text.str();
    while (!out.password.empty()
           && (out.password.back() == '\n' || out.password.back() == '\r'))
      out.password.pop_back();
    if (out.password.empty())
      return in.fail("'password_file': '" + path + "' is empty");
  }
  if (!out.password.empty() && out.username.empty())
    return in.fail("a password needs a 'username'");
  return caf::none;
}

/// Reads `url` and the connection keys.
caf::error read_connection(const config_entry& in, std::string& url,
                           net_address& broker, mqtt_connection& out) {
  if (auto err = in.read("url", url, true))
    return err;
  constexpr std::string_view tls_scheme = "mqtts://";
  bool mqtts = url.compare(0, tls_scheme.size(), tls_scheme) == 0;
  auto plain = mqtts ? "mqtt://" + url.substr(tls_scheme.size()) : url;
  auto addr = parse_mqtt_url(plain);
  if (!addr)
    return in.fail("'url': " + describe(addr.error())
                   + (mqtts ? " (or mqtts://host[:port])" : ""));
  broker = std::move(*addr);
  out.tls = mqtts;
  if (auto err = in.read("tls", out.tls))
    return err;
  if (mqtts && !out.tls)
    return in.fail("'tls' = false with an mqtts:// url");
  if (auto err = in.read("username", out.username, false))
    return err;
  if (auto err = read_password(in, out))
    return err;
  for (auto key : {"ca", "cert", "key", "tls_insecure"})
    if (!out.tls && in.has(key))
      return in.fail("'" + std::string{key} + "' needs tls = true");
  if (!out.tls)
    return caf::none;
  // A url without a port means MQTT's TLS port.
  auto host_part = plain.substr(7);
  auto bracket = host_part.find(']');
  auto colon = host_part.find(':', bracket == std::string::npos ? 0 : bracket);
  if (colon == std::string::npos)
    broker.port = 8883;
  if (auto err = in.read_path("ca", out.ca))
    return err;
  if (auto err = in.read_path("cert", out.cert))
    return err;
  if (auto err = in.read_path("key", out.key))
    return err;
  if (out.cert.empty() != out.key.empty())
    return in.fail(out.cert.empty() ? "'key' needs 'cert'"
                                    : "'cert' needs 'key'");
  return in.read("tls_insecure", out.tls_insecure);
}

caf::error read_payload(const config_entry& in, mqtt_payload_options& out) {
  std::string format = to_string(out.format);
  if (auto err = in.read("payload", format, false))
    return err;
  auto parsed = parse_payload_format(format);
  if (!parsed)
    return in.fail("'payload' must be \"value\", \"json\", \"telegraf\" or "
                   "\"sparkplug_b\", not '"
                   + format + "'");
  out.format = *parsed;
  if (out.format == mqtt_payload_format::sparkplug_b)
    for (auto key : {"timestamp_key", "timestamp_unit"})
      if (in.has(key))
        return in.fail("'" + std::string{key}
                       + "' does not apply to payload \"sparkplug_b\" "
                         "(its timestamps are ms)");
  if (out.format != mqtt_payload_format::telegraf && in.has("tags"))
    return in.fail("'tags' needs payload = \"telegraf\"");
  if (out.format == mqtt_payload_format::telegraf) {
    // Telegraf's own defaults: `timestamp` in seconds.
    out.timestamp_key = "timestamp";
    out.unit = ts_unit::s;
  }
  if (auto err = in.read("timestamp_key", out.timestamp_key, false))
    return err;
  std::string unit = to_string(out.unit);
  if (auto err = in.read("timestamp_unit", unit, false))
    return err;
  auto u = parse_ts_unit(unit);
  if (!u)
    return in.fail("'timestamp_unit' must be \"ns\", \"us\", \"ms\", \"s\" "
                   "or \"rfc3339\", not '"
                   + unit + "'");
  out.unit = *u;
  return in.read("tags", out.tags);
}

} // namespace

caf::error read_mqtt_source(const config_entry& in, source_spec& out) {
  if (auto err = in.check_keys(
        {"kind", "url", "topic", "topics", "allowed_lateness_ns", "qos",
         "session", "payload", "timestamp_key", "timestamp_unit", "tags"},
        "mqtt", connection_keys))
    return err;
  if (auto err = read_connection(in, out.url, out.broker, out.connection))
    return err;
  if (in.has("topic") && in.has("topics"))
    return in.fail("'topic' and 'topics' together: give one of them");
  if (in.has("topics")) {
    if (auto err = in.read("topics", out.topics))
      return err;
  } else if (auto err = in.read("topic", out.topic, true)) {
    return err;
  }
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
  return read_payload(in, out.payload);
}

caf::error read_mqtt_sink(const config_entry& in, sink_spec& out) {
  if (auto err = in.check_keys({"kind", "url", "topic_prefix", "qos", "queue"},
                               "mqtt", connection_keys))
    return err;
  if (auto err = read_connection(in, out.url, out.broker, out.connection))
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

} // namespace shoal
