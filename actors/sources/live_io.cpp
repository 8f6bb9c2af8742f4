#include "actors/sources/live_io.hpp"

#include "caf/all.hpp"

#include "actors/messages.hpp"
#include "actors/sources/ingest_source.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/io/csv_file_sink.hpp"
#include "runtime/io/fanout_sink.hpp"
#include "runtime/io/influx_sink.hpp"
#include "runtime/io/jsonl_file_sink.hpp"
#include "runtime/io/mqtt_sink.hpp"
#include "runtime/io/mqtt_source.hpp"
#include "runtime/io/tcp_sink.hpp"
#include "runtime/io/tcp_source.hpp"

namespace shoal {

namespace {

caf::error in_entry(const char* what, size_t index, const caf::error& err) {
  return make_error(errc::io_error, std::string{what} + " #"
                                      + std::to_string(index + 1) + ": "
                                      + describe(err));
}

template <class T>
std::shared_ptr<T> shared(std::unique_ptr<T>& x) {
  return std::shared_ptr<T>{std::move(x)};
}

caf::expected<std::shared_ptr<output_sink>> open_sink(live_io& io,
                                                      const sink_spec& spec) {
  // A member's files keep what its earlier runs wrote (docs/io.md).
  auto mode = spec.truncate ? file_mode::truncate : file_mode::append;
  switch (spec.kind) {
    case sink_kind::csv: {
      auto s = csv_file_sink::open(spec.path, mode);
      if (!s)
        return s.error();
      return std::shared_ptr<output_sink>{shared(*s)};
    }
    case sink_kind::jsonl: {
      auto s = jsonl_file_sink::open(spec.path, mode);
      if (!s)
        return s.error();
      return std::shared_ptr<output_sink>{shared(*s)};
    }
    case sink_kind::mqtt: {
      auto s = mqtt_sink::start(spec);
      if (!s)
        return s.error();
      auto ptr = shared(*s);
      io.endpoints.push_back(ptr);
      return std::shared_ptr<output_sink>{ptr};
    }
    case sink_kind::influxdb: {
      auto s = influx_sink::start(spec);
      if (!s)
        return s.error();
      auto ptr = shared(*s);
      io.endpoints.push_back(ptr);
      return std::shared_ptr<output_sink>{ptr};
    }
    case sink_kind::tcp: {
      auto s = tcp_sink::start(spec.listen);
      if (!s)
        return s.error();
      auto ptr = shared(*s);
      io.endpoints.push_back(ptr);
      return std::shared_ptr<output_sink>{ptr};
    }
  }
  return make_error(errc::invalid_config, "unknown sink kind");
}

} // namespace

std::vector<endpoint_status> live_io::status() const {
  std::vector<endpoint_status> result;
  for (auto& e : endpoints)
    result.push_back(e->status());
  return result;
}

caf::expected<std::shared_ptr<output_sink>>
open_sinks(live_io& io, const std::vector<sink_spec>& specs) {
  std::vector<std::shared_ptr<output_sink>> sinks;
  for (size_t i = 0; i < specs.size(); ++i) {
    auto s = open_sink(io, specs[i]);
    if (!s)
      return in_entry("sink", i, s.error());
    sinks.push_back(std::move(*s));
  }
  if (sinks.empty())
    return std::shared_ptr<output_sink>{std::make_shared<discard_sink>()};
  if (sinks.size() == 1)
    return sinks.front();
  return std::shared_ptr<output_sink>{
    std::make_shared<fanout_sink>(std::move(sinks))};
}

caf::error start_sources(live_io& io, caf::scoped_actor& self,
                         const deployment& d,
                         const std::vector<source_spec>& specs,
                         const std::string& owner) {
  for (size_t i = 0; i < specs.size(); ++i) {
    auto& spec = specs[i];
    auto inbox = std::make_shared<sample_inbox>();
    std::shared_ptr<io_endpoint> endpoint;
    if (spec.kind == source_kind::mqtt) {
      auto s
        = mqtt_source::start(spec, inbox, mqtt_source::client_id(owner, i + 1));
      if (!s)
        return in_entry("source", i, s.error());
      endpoint = shared(*s);
    } else {
      auto s = tcp_source::start(spec.listen, inbox);
      if (!s)
        return in_entry("source", i, s.error());
      endpoint = shared(*s);
    }
    live_options opts;
    opts.allowed_lateness_ns = spec.allowed_lateness_ns;
    // The endpoint's address has the real port, and an MQTT topic.
    opts.name = std::string{to_string(spec.kind)} + " #" + std::to_string(i + 1)
                + " " + endpoint->status().address;
    opts.tracker = d.tracker;
    auto key = node_key("source:" + std::string{to_string(spec.kind)} + "#"
                        + std::to_string(i + 1));
    auto actor = self->spawn(ingest_source, inbox, d.sensors, d.sensor_actors,
                             key, opts);
    if (auto err = attach_source(self, d, actor, key)) {
      self->send_exit(actor, caf::exit_reason::user_shutdown);
      return in_entry("source", i, err);
    }
    self->send(actor, caf::tick_atom_v);
    io.sources.push_back(std::move(actor));
    io.endpoints.push_back(std::move(endpoint));
  }
  return caf::none;
}

} // namespace shoal
