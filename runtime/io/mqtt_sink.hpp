// An output_sink that publishes every emitted output to an MQTT broker.
//
// Output (node, ts, value) goes to topic `topic_prefix + '/' + node` with
// every '.' of the node's name read as '/', as the JSON text
// {"ts":<ts>,"value":<value>} (`format_mqtt_payload`). Publishing never
// blocks the sink actor: when the broker is away (the client reconnects in
// the background) or refuses the message, the output is dropped and
// counted. libmosquitto holds every published message in memory until it is
// written (QoS 0) or acknowledged (QoS 1); at most `queue` (sink_spec) are
// held, so while a connected broker stalls, further outputs are dropped and
// counted too, and publishing resumes as the broker reads again. `write` and
// `flush` are called by the owning sink actor only; `status` from any thread.

#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <unordered_map>

#include "caf/expected.hpp"

#include "runtime/io/io_config.hpp"
#include "runtime/io/io_endpoint.hpp"
#include "runtime/io/mqtt_client.hpp"
#include "runtime/io/output_sink.hpp"

namespace shoal {

class mqtt_sink : public output_sink, public io_endpoint {
public:
  /// Starts connecting to the broker of `spec`.
  static caf::expected<std::unique_ptr<mqtt_sink>> start(const sink_spec& spec);

  void write(const std::string& node, point p) override;

  caf::error flush() override;

  endpoint_status status() const override;

  /// The topic of node `node`'s outputs under `prefix`.
  static std::string topic_of(const std::string& prefix,
                              const std::string& node);

  /// Published outputs libmosquitto still holds; at most the `queue` cap.
  uint64_t queued() const {
    return client_.queued();
  }

  /// Whether the client is connected now.
  bool connected() const {
    return client_.connected();
  }

private:
  explicit mqtt_sink(const sink_spec& spec);

  std::string prefix_;
  int qos_;
  uint64_t queue_cap_;
  std::unordered_map<std::string, std::string> topics_;
  std::atomic<uint64_t> published_{0};
  /// Dropped while the broker was away, with libmosquitto holding the
  /// `queue` cap, and refused by libmosquitto.
  std::atomic<uint64_t> dropped_disconnected_{0};
  std::atomic<uint64_t> dropped_queue_full_{0};
  std::atomic<uint64_t> dropped_refused_{0};
  mqtt_client client_;
};

} // namespace shoal
