// What every network endpoint of the live I/O reports for status.
//
// Sources and sinks that talk to the network (mqtt_source, mqtt_sink,
// tcp_source, tcp_sink) implement `io_endpoint` so that the member's status
// can list them uniformly. `status()` is safe to call from any thread.

#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace shoal {

struct endpoint_status {
  /// "mqtt source", "tcp sink", ...
  std::string kind;
  /// The broker, or the address actually listened on (the real port).
  std::string address;
  /// The port of `address` (for TCP, the real port when 0 was configured).
  uint16_t port = 0;
  /// MQTT: connected to the broker. TCP: listening.
  bool connected = false;
  /// Connected and receiving: for an MQTT source, the broker also
  /// acknowledged every subscription of the current connection (what is
  /// published from now on arrives); otherwise the same as `connected`.
  bool ready = false;
  /// MQTT: connections re-established after a loss.
  uint64_t reconnects = 0;
  /// TCP: clients connected now.
  uint64_t clients = 0;
  /// Sources: samples received (before the source checks). Sinks: outputs
  /// sent (TCP: queued to at least one subscriber).
  uint64_t messages = 0;
  /// Sources: malformed inputs. Sinks: outputs dropped (broker away) or, for
  /// TCP, subscribers dropped for being too slow.
  uint64_t dropped = 0;
  /// `dropped` by reason, where the endpoint tells them apart (MQTT sink:
  /// "disconnected", "queue_full", "refused"); empty otherwise.
  std::map<std::string, uint64_t> dropped_by;
  /// The last problem seen (a lost connection, a closed client), if any.
  std::string last_error;
};

class io_endpoint {
public:
  virtual ~io_endpoint();

  virtual endpoint_status status() const = 0;
};

} // namespace shoal
