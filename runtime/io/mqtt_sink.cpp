#include "runtime/io/mqtt_sink.hpp"

#include "runtime/io/mqtt_payload.hpp"

namespace shoal {

caf::expected<std::unique_ptr<mqtt_sink>>
mqtt_sink::start(const sink_spec& spec) {
  std::unique_ptr<mqtt_sink> sink{new mqtt_sink(spec)};
  if (auto err = sink->client_.start({}, spec.connection))
    return err;
  return sink;
}

mqtt_sink::mqtt_sink(const sink_spec& spec)
  : prefix_(spec.topic_prefix), qos_(spec.qos), queue_cap_(spec.queue),
    client_(spec.broker, nullptr, nullptr) {
  // nop
}

std::string mqtt_sink::topic_of(const std::string& prefix,
                                const std::string& node) {
  std::string topic = prefix;
  if (!topic.empty())
    topic += '/';
  for (auto c : node)
    topic += c == '.' ? '/' : c;
  return topic;
}

void mqtt_sink::write(const std::string& node, point p) {
  // Only this actor publishes, so the count cannot pass the cap between the
  // check and the publish.
  if (!client_.connected()) {
    ++dropped_disconnected_;
    return;
  }
  if (client_.queued() >= queue_cap_) {
    ++dropped_queue_full_;
    return;
  }
  auto i = topics_.find(node);
  if (i == topics_.end())
    i = topics_.emplace(node, topic_of(prefix_, node)).first;
  if (client_.publish(i->second, format_mqtt_payload(p), qos_))
    ++dropped_refused_;
  else
    ++published_;
}

caf::error mqtt_sink::flush() {
  // Nothing is buffered here; libmosquitto's thread sends as it can, and
  // `queue` caps what it holds.
  return caf::none;
}

endpoint_status mqtt_sink::status() const {
  uint64_t disconnected = dropped_disconnected_.load();
  uint64_t queue_full = dropped_queue_full_.load();
  uint64_t refused = dropped_refused_.load();
  auto st = client_.status("mqtt sink", prefix_, published_.load(),
                           disconnected + queue_full + refused);
  st.dropped_by = {{"disconnected", disconnected},
                   {"queue_full", queue_full},
                   {"refused", refused}};
  return st;
}

} // namespace shoal
