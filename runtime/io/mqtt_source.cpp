#include "runtime/io/mqtt_source.hpp"

#include "runtime/core/clock.hpp"
#include "runtime/core/errc.hpp"

namespace shoal {

caf::expected<std::unique_ptr<mqtt_source>>
mqtt_source::start(const source_spec& spec, std::shared_ptr<sample_inbox> inbox,
                   const std::string& client_id) {
  auto persistent = spec.session == mqtt_session::persistent;
  if (persistent && client_id.empty())
    return make_error(errc::invalid_config,
                      "mqtt source " + topic_list(spec)
                        + ": a persistent session needs a client id");
  std::unique_ptr<mqtt_source> src{new mqtt_source(spec, std::move(inbox))};
  if (auto err = src->client_.start(persistent ? client_id : std::string{},
                                    spec.connection))
    return err;
  return src;
}

std::string mqtt_source::client_id(const std::string& owner, size_t index) {
  return "shoal-" + owner + "-" + std::to_string(index);
}

mqtt_source::mqtt_source(const source_spec& spec,
                         std::shared_ptr<sample_inbox> inbox)
  : filters_(spec.topics), topics_(topic_list(spec)), qos_(spec.qos),
    inbox_(std::move(inbox)), decoder_(spec.payload),
    client_(
      spec.broker,
      [this](mqtt_client& c) {
        // A failure is kept as the client's last error, shown in status.
        for (const auto& filter : filters_)
          static_cast<void>(c.subscribe(filter, qos_));
      },
      [this](std::string_view topic, std::string_view payload) {
        on_message(topic, payload);
      }) {
  if (!spec.topic.empty())
    filters_.insert(filters_.begin(), spec.topic);
}

std::string mqtt_source::sensor_name(std::string_view topic) {
  return mqtt_decoder::sensor_name(topic);
}

void mqtt_source::on_message(std::string_view topic, std::string_view payload) {
  ++received_;
  decoded_.clear();
  decoder_.decode(topic, payload, wall_clock_ns(), decoded_);
  for (auto& problem : decoded_.problems) {
    ++malformed_;
    inbox_->push_malformed("mqtt topic " + std::string{topic},
                           std::move(problem), 1, payload);
  }
  for (auto& x : decoded_.samples)
    inbox_->push(std::move(x.sensor), x.ts, x.value);
}

endpoint_status mqtt_source::status() const {
  return client_.status("mqtt source", topics_, received_.load(),
                        malformed_.load());
}

} // namespace shoal
