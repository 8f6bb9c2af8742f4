// The pieces of the `/metrics` page (runtime/http/prometheus.hpp): a writer
// of the text exposition format, and the parts of the page that have files
// of their own. Internal to runtime/http; pure.

#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "runtime/http/status_model.hpp"

namespace shoal {

/// `x` as Prometheus reads it (NaN, +Inf, -Inf, else %.15g).
std::string format_double(double x);

/// Appends families (a HELP and a TYPE line) and their samples.
class metrics_writer {
public:
  void header(const char* name, const char* type, const char* help);

  /// One sample; `labels` alternate names and values.
  void sample(std::string_view name,
              std::initializer_list<std::string_view> labels,
              const std::string& value);

  void sample(std::string_view name,
              std::initializer_list<std::string_view> labels, uint64_t value) {
    sample(name, labels, std::to_string(value));
  }

  std::string take() {
    return std::move(out_);
  }

private:
  std::string out_;
};

/// The work counters and gauges of the whole cluster, per member and kind
/// (a model without `own`, or `/metrics?scope=cluster`).
void write_cluster_work(metrics_writer& w, const status_model& model);

/// The same families for the member serving the page only
/// (`model.own`), and the per-node series chosen for it.
void write_own_work(metrics_writer& w, const own_status& own);

/// The MQTT sources' and sinks' connection state and counters, from the
/// endpoints; `member` labels them when not empty.
void write_mqtt(metrics_writer& w, const status_model& model,
                const std::string& member);

} // namespace shoal
