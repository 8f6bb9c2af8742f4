// The live inputs and outputs of a cluster member: the `[[source]]` and
// `[[sink]]` arrays of its configuration file (SPEC section 8).
//
// `parse_io_config` reads both arrays from the member's parsed TOML table and
// checks every key: its presence, its type, its range, and that it belongs to
// the entry's kind (unknown keys are errors). Errors are `errc::invalid_config`
// errors of the form "<file>: source #2: <reason>" (entries counted from 1).
// Relative paths (sink files, TLS files, password files) are resolved against
// the configuration file's folder. A `password_file` is read here, when the
// member starts. The MQTT keys are read by mqtt_config.hpp. Safe to call
// from any thread.

#pragma once

#include <cstdint>
#include <string>
#include <toml++/toml.h>
#include <vector>

#include "caf/expected.hpp"

#include "runtime/io/mqtt_options.hpp"
#include "runtime/io/net_address.hpp"

namespace shoal {

enum class source_kind : uint8_t { mqtt, tcp };

enum class sink_kind : uint8_t { mqtt, tcp, csv, jsonl, influxdb };

/// What the broker keeps of an MQTT source while it is away (SPEC section 10).
enum class mqtt_session : uint8_t {
  /// A fixed client id and clean_session = false: the broker keeps the
  /// subscription and queues QoS 1 messages until the source is back.
  persistent,
  /// A unique client id and a clean session: nothing is kept.
  clean,
};

/// Returns "mqtt", "tcp", ...
const char* to_string(source_kind x);

/// Returns "mqtt", "tcp", "csv", "jsonl" or "influxdb".
const char* to_string(sink_kind x);

/// Returns "persistent" or "clean".
const char* to_string(mqtt_session x);

struct source_spec;

/// The filters of an MQTT source, comma-separated ("plant/#" or
/// "plant/+/temp,hall/#"), for status and logs.
std::string topic_list(const source_spec& spec);

/// One `[[source]]` entry.
struct source_spec {
  source_kind kind = source_kind::mqtt;
  /// mqtt: the broker (`url = "mqtt://host:port"`).
  std::string url;
  net_address broker;
  /// mqtt: the subscription filter (`topic = "..."`).
  std::string topic;
  /// mqtt: several filters (`topics = [...]`), instead of `topic`; the
  /// source subscribes to `topic` when it is set and to each of these.
  std::vector<std::string> topics;
  /// mqtt: username, password and TLS.
  mqtt_connection connection;
  /// mqtt: the payload format and its timestamp.
  mqtt_payload_options payload;
  /// tcp: the address to listen on (port 0: any free port).
  net_address listen;
  int64_t allowed_lateness_ns = 100'000'000;
  /// mqtt: the subscription's QoS, 0 or 1.
  int qos = 1;
  /// mqtt: whether the broker keeps the session while the source is away.
  mqtt_session session = mqtt_session::persistent;
};

/// One `[[sink]]` entry.
struct sink_spec {
  sink_kind kind = sink_kind::csv;
  /// mqtt: the broker (`url`). influxdb: its HTTP API (`url =
  /// "http://host[:port]"`, port 8086 by default) in `server`.
  std::string url;
  net_address broker;
  net_address server;
  /// influxdb: the database written to (it must exist).
  std::string database;
  /// influxdb: every line is `measurement,node=<name> value=<v> <ts>`.
  std::string measurement = "shoal";
  /// influxdb: at most this many points waiting to be written; further
  /// ones are dropped and counted.
  uint64_t buffer = 100'000;
  /// mqtt: outputs go to topic_prefix + '/' + node name with '.' as '/'.
  std::string topic_prefix = "shoal/out";
  /// mqtt: the QoS of the publications, 0 or 1.
  int qos = 1;
  /// mqtt: username, password and TLS.
  mqtt_connection connection;
  /// mqtt: at most this many published outputs not yet written (QoS 0) or
  /// acknowledged (QoS 1); further outputs are dropped and counted.
  uint64_t queue = 100'000;
  /// tcp: the address subscribers connect to.
  net_address listen;
  /// csv, jsonl: the output file (absolute after parsing).
  std::string path;
  /// csv, jsonl: empty an existing file when the member starts, instead of
  /// appending to it (`truncate = true`; default false).
  bool truncate = false;
};

struct io_config {
  std::vector<source_spec> sources;
  std::vector<sink_spec> sinks;
};

/// Reads the `source` and `sink` arrays of `tbl`, the parsed configuration
/// file `file` (named in errors). Both arrays are optional.
caf::expected<io_config> parse_io_config(const toml::table& tbl,
                                         const std::string& file);

} // namespace shoal
