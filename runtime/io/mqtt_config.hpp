// Reading the keys of `[[source]]` and `[[sink]]` tables of kind mqtt, for
// `parse_io_config` (docs/io.md, "Configuration").
//
// Both take the broker's `url` (`mqtt://host[:port]`, port 1883, or
// `mqtts://host[:port]`, TLS on port 8883 by default) and the connection
// keys `username`, `password` or `password_file` (read here, its trailing
// newline dropped), `tls`, `ca`, `cert` and `key` (both or neither), and
// `tls_insecure`; TLS files must be readable now. A source also takes
// `topic` or `topics` (one of them), `qos`, `session`, and the payload keys
// `payload`, `timestamp_key`, `timestamp_unit` and `tags` (telegraf only). A
// sink takes `topic_prefix`, `qos` and `queue`. Errors name the file, the
// entry and the key, never a password.

#pragma once

#include "caf/error.hpp"

#include "runtime/io/config_entry.hpp"
#include "runtime/io/io_config.hpp"

namespace shoal {

caf::error read_mqtt_source(const config_entry& in, source_spec& out);

caf::error read_mqtt_sink(const config_entry& in, sink_spec& out);

} // namespace shoal
