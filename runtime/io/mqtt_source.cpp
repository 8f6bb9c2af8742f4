#include "runtime/io/mqtt_source.hpp"

#include "runtime/core/clock.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/io/mqtt_payload.hpp"

namespace shoal {

caf::expected<std::unique_ptr<mqtt_source>>
mqtt_source::start(const source_spec& spec, std::shared_ptr<sample_inbox> inbox,
                   const std::string& client_id) {
  auto persistent = spec.session == mqtt_session::persistent;
  if (persistent && client_id.empty())
    return make_error(errc::invalid_config,
                      "mqtt source " + spec.topic
                        + ": a persistent session needs a client id");
  std::unique_ptr<mqtt_source> src{new mqtt_source(spec, std::move(inbox))};
  if (auto err = src->client_.start(persistent ? client_id : std::string{}))
    return err;
  return src;
}

std::string mqtt_source::client_id(const std::string& owner, size_t index) {
  return "shoal-" + owner + "-" + std::to_string(index);
}

mqtt_source::mqtt_source(const source_spec& spec,
                         std::shared_ptr<sample_inbox> inbox)
  : topic_(spec.topic), qos_(spec.qos), inbox_(std::move(inbox)),
    client_(
      spec.broker,
      [this](mqtt_client& c) {
        // A failure is kept as the client's last error, shown in status.
        static_cast<void>(c.subscribe(topic_, qos_));
      },
      [this](std::string_view topic, std::string_view payload) {
        on_message(topic, payload);
      }) {
  // nop
}

std::string mqtt_source::sensor_name(std::string_view topic) {
  std::string name{topic};
  for (auto& c : name)
    if (c == '/')
      c = '.';
  return name;
}

void mqtt_source::on_message(std::string_view topic, std::string_view payload) {
  ++received_;
  auto p = parse_mqtt_payload(payload, wall_clock_ns());
  if (!p) {
    ++malformed_;
    inbox_->push_malformed("mqtt topic " + std::string{topic},
                           describe(p.error()), 1, payload);
    return;
  }
  inbox_->push(sensor_name(topic), p->ts, p->value);
}

endpoint_status mqtt_source::status() const {
  return client_.status("mqtt source", topic_, received_.load(),
                        malformed_.load());
}

} // namespace shoal
