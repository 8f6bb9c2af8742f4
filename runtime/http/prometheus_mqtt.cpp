// The MQTT families of /metrics (runtime/http/prometheus_writer.hpp): each
// MQTT source and sink of the serving member, labelled `source` or `sink`
// with its broker and topic as /status names them ("mqtt://HOST:PORT
// TOPIC"); a second endpoint with the same name gets " (2)" appended, so
// that no two series collide.

#include <map>
#include <vector>

#include "runtime/http/prometheus_writer.hpp"

namespace shoal {

namespace {

struct mqtt_endpoint {
  /// "source" or "sink".
  const char* role;
  bool source;
  std::string name;
  const endpoint_status* st;
};

std::vector<mqtt_endpoint> mqtt_endpoints(const status_model& model) {
  std::vector<mqtt_endpoint> out;
  std::map<std::string, int> seen;
  for (auto& e : model.endpoints) {
    bool source = e.kind == "mqtt source";
    if (!source && e.kind != "mqtt sink")
      continue;
    const char* role = source ? "source" : "sink";
    auto name = e.address;
    auto n = ++seen[std::string{role} + " " + name];
    if (n > 1)
      name += " (" + std::to_string(n) + ")";
    out.push_back(mqtt_endpoint{role, source, std::move(name), &e});
  }
  return out;
}

} // namespace

void write_mqtt(metrics_writer& w, const status_model& model,
                const std::string& member) {
  auto xs = mqtt_endpoints(model);
  if (xs.empty())
    return;
  // The member label first where known, as in the other families.
  auto sample = [&](const char* name, const mqtt_endpoint& x,
                    const std::string& value, const char* reason = nullptr) {
    if (member.empty() && reason == nullptr)
      w.sample(name, {x.role, x.name}, value);
    else if (member.empty())
      w.sample(name, {x.role, x.name, "reason", reason}, value);
    else if (reason == nullptr)
      w.sample(name, {"member", member, x.role, x.name}, value);
    else
      w.sample(name, {"member", member, x.role, x.name, "reason", reason},
               value);
  };
  w.header("shoal_mqtt_connected", "gauge",
           "1 while an MQTT source or sink is connected to its broker, 0 "
           "otherwise.");
  for (auto& x : xs)
    sample("shoal_mqtt_connected", x, x.st->connected ? "1" : "0");
  w.header("shoal_mqtt_reconnects_total", "counter",
           "Connections of an MQTT source or sink re-established after a "
           "loss.");
  for (auto& x : xs)
    sample("shoal_mqtt_reconnects_total", x, std::to_string(x.st->reconnects));
  w.header("shoal_mqtt_messages_received_total", "counter",
           "Messages an MQTT source received, before any check.");
  for (auto& x : xs)
    if (x.source)
      sample("shoal_mqtt_messages_received_total", x,
             std::to_string(x.st->messages));
  w.header("shoal_mqtt_messages_published_total", "counter",
           "Outputs an MQTT sink handed to its broker's client.");
  for (auto& x : xs)
    if (!x.source)
      sample("shoal_mqtt_messages_published_total", x,
             std::to_string(x.st->messages));
  w.header("shoal_mqtt_dropped_total", "counter",
           "Messages dropped, by reason: a source's payloads that did not "
           "parse (malformed); a sink's outputs while the broker was away "
           "(disconnected), while the client held its queue cap "
           "(queue_full) or that the client refused (refused).");
  for (auto& x : xs) {
    if (x.source) {
      sample("shoal_mqtt_dropped_total", x, std::to_string(x.st->dropped),
             "malformed");
      continue;
    }
    for (auto& [reason, n] : x.st->dropped_by)
      sample("shoal_mqtt_dropped_total", x, std::to_string(n), reason.c_str());
  }
}

} // namespace shoal
