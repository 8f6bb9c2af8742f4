#include "runtime/http/prometheus.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "runtime/http/prometheus_writer.hpp"

namespace shoal {

namespace {

/// Upper bounds of the latency buckets: seconds as written, and nanoseconds.
struct le_bound {
  const char* text;
  int64_t ns;
};

constexpr le_bound latency_bounds[] = {
  {"0.0001", 100'000},    {"0.00025", 250'000},   {"0.0005", 500'000},
  {"0.001", 1'000'000},   {"0.0025", 2'500'000},  {"0.005", 5'000'000},
  {"0.01", 10'000'000},   {"0.025", 25'000'000},  {"0.05", 50'000'000},
  {"0.1", 100'000'000},   {"0.25", 250'000'000},  {"0.5", 500'000'000},
  {"1", 1'000'000'000},   {"2.5", 2'500'000'000}, {"5", 5'000'000'000},
  {"10", 10'000'000'000},
};

} // namespace

std::string format_double(double x) {
  if (std::isnan(x))
    return "NaN";
  if (std::isinf(x))
    return x > 0 ? "+Inf" : "-Inf";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.15g", x);
  return buf;
}

void metrics_writer::header(const char* name, const char* type,
                            const char* help) {
  out_ += "# HELP ";
  out_ += name;
  out_ += ' ';
  out_ += help;
  out_ += "\n# TYPE ";
  out_ += name;
  out_ += ' ';
  out_ += type;
  out_ += '\n';
}

void metrics_writer::sample(std::string_view name,
                            std::initializer_list<std::string_view> labels,
                            const std::string& value) {
  out_ += name;
  if (labels.size() > 0) {
    out_ += '{';
    auto i = labels.begin();
    for (bool first = true; i != labels.end(); first = false) {
      if (!first)
        out_ += ',';
      out_ += *i++;
      out_ += "=\"";
      out_ += escape_label_value(*i++);
      out_ += '"';
    }
    out_ += '}';
  }
  out_ += ' ';
  out_ += value;
  out_ += '\n';
}

std::string escape_label_value(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string render_metrics(const status_model& model,
                           const latency_histogram& all, metrics_scope scope) {
  metrics_writer w;
  auto count = [](uint64_t n) {
    return std::to_string(n);
  };
  const own_status* own
    = scope == metrics_scope::own && model.own ? &*model.own : nullptr;
  if (own)
    write_own_work(w, *own);
  else
    write_cluster_work(w, model);
  w.header("shoal_members", "gauge",
           "Members of the cluster, by state, as the member serving these "
           "metrics sees them.");
  uint64_t alive = 0;
  for (auto& m : model.members)
    alive += m.alive ? 1 : 0;
  w.sample("shoal_members", {"state", "alive"}, count(alive));
  w.sample("shoal_members", {"state", "down"},
           count(model.members.size() - alive));
  w.header("shoal_connections_refused_total", "counter",
           "Connections to this member's port refused before the actor "
           "protocol began (TLS handshake failed or a refused frame).");
  w.sample("shoal_connections_refused_total", {},
           count(model.connections_refused));
  if (auto& ck = model.checkpoints) {
    w.header("shoal_checkpoint_committed", "gauge",
             "The latest committed checkpoint round.");
    w.sample("shoal_checkpoint_committed", {}, count(ck->committed));
    w.header("shoal_checkpoint_rounds_total", "counter",
             "Checkpoint rounds this member led, by result.");
    w.sample("shoal_checkpoint_rounds_total", {"result", "committed"},
             count(ck->rounds_committed));
    w.sample("shoal_checkpoint_rounds_total", {"result", "failed"},
             count(ck->rounds_failed));
    w.sample("shoal_checkpoint_rounds_total", {"result", "skipped"},
             count(ck->rounds_skipped));
    w.header("shoal_checkpoint_last_duration_seconds", "gauge",
             "How long the last committed round this member led took.");
    w.sample("shoal_checkpoint_last_duration_seconds", {},
             format_double(ck->last_took_s));
    w.header("shoal_checkpoint_store_bytes", "gauge",
             "Bytes this member's checkpoint store takes.");
    w.sample("shoal_checkpoint_store_bytes", {}, count(ck->store_bytes));
    w.header("shoal_nodes_failed_over_total", "counter",
             "Nodes of dead members placed again, by whether they resumed "
             "from a checkpoint.");
    w.sample("shoal_nodes_failed_over_total", {"state", "warm"},
             count(ck->nodes_warm));
    w.sample("shoal_nodes_failed_over_total", {"state", "cold"},
             count(ck->nodes_failed_over
                   - std::min(ck->nodes_failed_over, ck->nodes_warm)));
    w.header("shoal_live_samples_rolled_back_total", "counter",
             "Live samples (TCP, MQTT) that sensors had accepted and "
             "failovers took back: since the checkpoint restored, or all "
             "of a sensor's for a cold failover.");
    w.sample("shoal_live_samples_rolled_back_total", {},
             count(ck->live_rolled_back));
  }
  auto& ps = model.process;
  w.header("process_cpu_seconds_total", "counter",
           "User and system CPU time of the member serving these metrics.");
  w.sample("process_cpu_seconds_total", {}, format_double(ps.cpu_seconds));
  w.header("process_resident_memory_bytes", "gauge",
           "Resident memory of the member serving these metrics.");
  w.sample("process_resident_memory_bytes", {}, count(ps.resident_bytes));
  w.header("process_virtual_memory_bytes", "gauge",
           "Virtual memory of the member serving these metrics.");
  w.sample("process_virtual_memory_bytes", {}, count(ps.virtual_bytes));
  w.header("process_open_fds", "gauge",
           "Open file descriptors of the member serving these metrics.");
  w.sample("process_open_fds", {}, count(ps.open_fds));
  w.header("process_max_fds", "gauge",
           "The limit on open file descriptors of that process.");
  w.sample("process_max_fds", {}, count(ps.max_fds));
  w.header("process_start_time_seconds", "gauge",
           "When that process started, in seconds since the Unix epoch.");
  w.sample("process_start_time_seconds", {},
           format_double(ps.start_time_seconds));
  if (!model.version.empty()) {
    w.header("shoal_build_info", "gauge",
             "Always 1; the version and commit of the member serving these "
             "metrics.");
    w.sample("shoal_build_info",
             {"version", model.version, "commit", model.commit}, "1");
  }
  w.header("shoal_uptime_seconds", "gauge",
           "Seconds since the member serving these metrics started.");
  w.sample("shoal_uptime_seconds", {}, format_double(model.uptime_s));
  if (model.ready) {
    w.header("shoal_ready", "gauge",
             "1 when the member serving these metrics is ready (/healthz "
             "answers 200), 0 otherwise.");
    w.sample("shoal_ready", {}, model.ready->ready ? "1" : "0");
  }
  write_mqtt(w, model, own ? own->member : std::string{});
  auto& latency = own ? own->latency : all;
  w.header("shoal_output_latency_seconds", "histogram",
           "Time from a sample's arrival to an output it caused; _sum is "
           "estimated from bucket midpoints.");
  for (auto& b : latency_bounds)
    w.sample("shoal_output_latency_seconds_bucket", {"le", b.text},
             count(latency.count_at_or_below(b.ns)));
  w.sample("shoal_output_latency_seconds_bucket", {"le", "+Inf"},
           count(latency.count()));
  w.sample("shoal_output_latency_seconds_sum", {},
           format_double(latency.approximate_sum() / 1e9));
  w.sample("shoal_output_latency_seconds_count", {}, count(latency.count()));
  return w.take();
}

} // namespace shoal
