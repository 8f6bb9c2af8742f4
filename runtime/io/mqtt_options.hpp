// How an MQTT source or sink logs in to its broker, and how a source reads
// its payloads: the plain settings that `parse_io_config` fills from a
// `[[source]]` or `[[sink]]` table of kind mqtt (docs/io.md).
//
// `mqtt_connection` holds the credentials (username, password read from the
// config or from `password_file`) and the TLS files; `mqtt_client` applies
// it before it connects. The password is never written to a log or a
// status. `mqtt_payload_options` chooses the payload format and where the
// timestamp is; `mqtt_decoder` applies it. Plain values; pure functions.

#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shoal {

/// Credentials and TLS settings of one MQTT client.
struct mqtt_connection {
  /// Sent in CONNECT when not empty.
  std::string username;
  /// Sent with `username`; never logged.
  std::string password;
  /// Talk TLS to the broker.
  bool tls = false;
  /// The CA file (PEM) that signed the broker's certificate; empty: the
  /// system's CAs (/etc/ssl/certs).
  std::string ca;
  /// The client's certificate and key (PEM), both or neither.
  std::string cert;
  std::string key;
  /// Skip the check that the broker's certificate names the host of `url`
  /// (its chain is still checked).
  bool tls_insecure = false;
};

/// How an MQTT source reads a payload.
enum class mqtt_payload_format : uint8_t {
  /// One value per message: JSON {"ts", "value"}, a msgpack map with the
  /// same keys, or a bare number (the format before issue 17; the default).
  value,
  /// A JSON object of several values: sensor `<topic>.<field>`.
  json,
  /// Telegraf's JSON output, one metric or a batch {"metrics": [...]}.
  telegraf,
  /// Sparkplug B protobuf payloads (NBIRTH, NDATA, DBIRTH, DDATA).
  sparkplug_b,
};

/// The unit of a payload's timestamp.
enum class ts_unit : uint8_t { ns, us, ms, s, rfc3339 };

/// Returns "value", "json", "telegraf" or "sparkplug_b".
const char* to_string(mqtt_payload_format x);

/// Returns "ns", "us", "ms", "s" or "rfc3339".
const char* to_string(ts_unit x);

std::optional<mqtt_payload_format> parse_payload_format(std::string_view text);

std::optional<ts_unit> parse_ts_unit(std::string_view text);

/// How a source reads its payloads (docs/io.md, "Payloads").
struct mqtt_payload_options {
  mqtt_payload_format format = mqtt_payload_format::value;
  /// The key of the timestamp in a JSON object or msgpack map ("ts";
  /// "timestamp" for telegraf).
  std::string timestamp_key = "ts";
  /// The unit of that timestamp (ns; s for telegraf).
  ts_unit unit = ts_unit::ns;
  /// telegraf: the tags whose values go into the sensor name, in this order,
  /// between the metric's name and its field.
  std::vector<std::string> tags;
};

} // namespace shoal
