#include "runtime/http/status_model.hpp"

#include "runtime/http/json_writer.hpp"
#include "runtime/http/reject_json.hpp"

namespace shoal {

namespace {

// Streamed rather than built as a tree: a 100,000-node status renders in a
// fraction of the time and memory (docs/http.md).

void write(json_writer& w, const ingest_counts& x) {
  w.begin_object();
  w.key("accepted");
  w.u64(x.accepted);
  w.key("rejected");
  w.begin_object();
  for (size_t i = 0; i < reject_reason_count; ++i) {
    w.key(to_string(static_cast<reject_reason>(i)));
    w.u64(x.rejected[i]);
  }
  w.end_object();
  w.end_object();
}

void write(json_writer& w, const member_status& x) {
  w.begin_object();
  w.key("name");
  w.str(x.name);
  w.key("address");
  w.str(x.address);
  w.key("alive");
  w.boolean(x.alive);
  w.key("load");
  w.num(x.load);
  w.key("nodes");
  w.u64(x.nodes);
  w.key("backlog");
  w.i64(x.backlog);
  w.key("samples");
  write(w, x.samples);
  w.key("rejected_input");
  write_rejects(w, x.rejects);
  w.end_object();
}

void optional_ns(json_writer& w, const char* key,
                 const std::optional<int64_t>& x) {
  w.key(key);
  if (x)
    w.i64(*x);
  else
    w.null();
}

void write(json_writer& w, const node_status& x) {
  w.begin_object();
  w.key("name");
  w.str(x.name);
  w.key("kind");
  w.str(to_string(x.kind));
  w.key("fn");
  w.str(x.fn);
  w.key("needs");
  w.begin_array();
  for (auto& need : x.needs)
    w.str(need);
  w.end_array();
  w.key("member");
  w.str(x.member);
  w.key("firings");
  w.u64(x.counts.firings);
  w.key("outputs");
  w.u64(x.counts.outputs);
  w.key("errors");
  w.u64(x.counts.errors);
  w.key("last_error");
  w.str(x.counts.last_error);
  // Only sensors take samples; leaving the object out of the other nodes
  // keeps a big status smaller.
  if (x.kind == node_kind::sensor) {
    w.key("samples");
    write(w, x.samples);
  }
  optional_ns(w, "p50_ns", x.p50_ns);
  optional_ns(w, "p99_ns", x.p99_ns);
  w.end_object();
}

void write(json_writer& w, const endpoint_status& x) {
  w.begin_object();
  w.key("kind");
  w.str(x.kind);
  w.key("address");
  w.str(x.address);
  w.key("port");
  w.u64(x.port);
  w.key("connected");
  w.boolean(x.connected);
  w.key("ready");
  w.boolean(x.ready);
  w.key("reconnects");
  w.u64(x.reconnects);
  w.key("clients");
  w.u64(x.clients);
  w.key("messages");
  w.u64(x.messages);
  w.key("dropped");
  w.u64(x.dropped);
  w.key("last_error");
  w.str(x.last_error);
  w.end_object();
}

void write(json_writer& w, const source_status& x) {
  w.begin_object();
  w.key("name");
  w.str(x.name);
  w.key("watermark_ns");
  w.i64(x.watermark_ns);
  optional_ns(w, "lag_ns", x.lag_ns);
  w.key("queued");
  w.u64(x.queued);
  w.key("full");
  w.boolean(x.full);
  w.key("refused");
  w.u64(x.refused);
  w.end_object();
}

void write(json_writer& w, const latency_histogram& x) {
  auto known = x.count() > 0;
  w.begin_object();
  w.key("count");
  w.u64(x.count());
  optional_ns(w, "p50_ns",
              known ? std::optional{x.quantile(0.5)} : std::nullopt);
  optional_ns(w, "p99_ns",
              known ? std::optional{x.quantile(0.99)} : std::nullopt);
  optional_ns(w, "max_ns", known ? std::optional{x.max()} : std::nullopt);
  w.end_object();
}

void write(json_writer& w, const totals_status& x,
           const latency_histogram& latency) {
  w.begin_object();
  w.key("samples");
  write(w, x.samples);
  w.key("firings");
  w.u64(x.firings);
  w.key("outputs");
  w.u64(x.outputs);
  w.key("errors");
  w.u64(x.errors);
  w.key("backlog");
  w.i64(x.backlog);
  w.key("rates");
  w.begin_object();
  w.key("samples_per_s");
  w.num(x.samples_per_s);
  w.key("firings_per_s");
  w.num(x.firings_per_s);
  w.key("outputs_per_s");
  w.num(x.outputs_per_s);
  w.key("errors_per_s");
  w.num(x.errors_per_s);
  w.end_object();
  w.key("latency");
  write(w, latency);
  w.end_object();
}

// Column by column: a chart reads one series at a time, and five minutes
// of points cost a third of what objects with keys would.
void write_history(json_writer& w, const std::vector<status_point>& xs) {
  w.begin_object();
  w.key("unix_ms");
  w.begin_array();
  for (auto& x : xs)
    w.i64(x.unix_ms);
  w.end_array();
  w.key("samples_per_s");
  w.begin_array();
  for (auto& x : xs)
    w.num(x.samples_per_s);
  w.end_array();
  w.key("outputs_per_s");
  w.begin_array();
  for (auto& x : xs)
    w.num(x.outputs_per_s);
  w.end_array();
  for (auto [key, field] : {std::pair{"p50_ns", &status_point::p50_ns},
                            std::pair{"p99_ns", &status_point::p99_ns}}) {
    w.key(key);
    w.begin_array();
    for (auto& x : xs)
      if (auto& v = x.*field)
        w.i64(*v);
      else
        w.null();
    w.end_array();
  }
  w.end_object();
}

template <class T>
void write_array(json_writer& w, const char* key, const std::vector<T>& xs) {
  w.key(key);
  w.begin_array();
  for (auto& x : xs)
    write(w, x);
  w.end_array();
}

} // namespace

std::string render_status_json(const status_model& model) {
  std::string out;
  out.reserve(1024 + model.nodes.size() * 256);
  json_writer w{out};
  w.begin_object();
  w.key("uptime_s");
  w.num(model.uptime_s);
  w.key("totals");
  write(w, model.totals, model.latency);
  write_array(w, "members", model.members);
  write_array(w, "nodes", model.nodes);
  write_array(w, "endpoints", model.endpoints);
  write_array(w, "sources", model.sources);
  w.key("history");
  write_history(w, model.history);
  if (model.ready) {
    w.key("ready");
    w.boolean(model.ready->ready);
    w.key("not_ready_reason");
    w.str(model.ready->reason);
  }
  w.end_object();
  return out;
}

source_status make_source_status(std::string name, int64_t watermark_ns,
                                 int64_t lag_ns, uint64_t queued, bool full,
                                 uint64_t refused) {
  source_status x;
  x.name = std::move(name);
  x.watermark_ns = watermark_ns;
  if (lag_ns >= 0)
    x.lag_ns = lag_ns;
  x.queued = queued;
  x.full = full;
  x.refused = refused;
  return x;
}

} // namespace shoal
