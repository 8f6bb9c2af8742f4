// A live MQTT source: subscribes to its topic filters and pushes what
// arrives into a sample_inbox, for an ingest_source actor to check and
// route.
//
// With the default payload format a message on topic "plant/pump1/temp" is
// a sample of sensor "plant.pump1.temp" ('/' read as '.'); its payload is
// parsed by `parse_mqtt_payload` (JSON, msgpack map or bare number, the
// latter stamped with the arrival time). Other formats (several values per
// message, Telegraf, Sparkplug B) are read by the source's `mqtt_decoder`.
// Each problem of a payload is pushed as a malformed notice whose origin
// names the topic. The subscriptions are renewed after every reconnect; the
// client logs in and talks TLS as the spec's `connection` says. With a
// persistent session (the default, SPEC section 10) the client connects as a
// fixed id with clean_session = false, so the broker queues the QoS 1 messages
// that arrive while the source is stopped or its member restarts and delivers
// them when it connects again; they go to the inbox like any other message,
// also those that come before the renewed subscription is acknowledged. Owns
// its mqtt_client (and so its network thread); the inbox is shared with the
// actor.

#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <string_view>

#include "caf/expected.hpp"

#include "runtime/io/io_config.hpp"
#include "runtime/io/io_endpoint.hpp"
#include "runtime/io/mqtt_client.hpp"
#include "runtime/io/mqtt_decoder.hpp"
#include "runtime/io/sample_inbox.hpp"

namespace shoal {

class mqtt_source : public io_endpoint {
public:
  /// Starts subscribing as `spec` says; samples go to `inbox`. A persistent
  /// session connects as `client_id`, which must then not be empty; a clean
  /// one ignores it and takes a unique id.
  static caf::expected<std::unique_ptr<mqtt_source>>
  start(const source_spec& spec, std::shared_ptr<sample_inbox> inbox,
        const std::string& client_id = {});

  /// The client id of source number `index` (counted from 1, as in
  /// "source #1") of the member `owner`: "shoal-<owner>-<index>".
  static std::string client_id(const std::string& owner, size_t index);

  endpoint_status status() const override;

  /// Connected and subscribed (the broker acknowledged the subscription).
  bool ready() const {
    return client_.ready();
  }

  /// The sensor name of a topic: '/' read as '.'.
  static std::string sensor_name(std::string_view topic);

private:
  mqtt_source(const source_spec& spec, std::shared_ptr<sample_inbox> inbox);

  void on_message(std::string_view topic, std::string_view payload);

  /// The filters subscribed to, and them comma-separated for status.
  std::vector<std::string> filters_;
  std::string topics_;
  int qos_;
  std::shared_ptr<sample_inbox> inbox_;
  /// Used on the client's network thread only.
  mqtt_decoder decoder_;
  mqtt_decoded decoded_;
  std::atomic<uint64_t> received_{0};
  std::atomic<uint64_t> malformed_{0};
  mqtt_client client_;
};

} // namespace shoal
