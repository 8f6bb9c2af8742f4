// What the HTTP endpoint shows: a snapshot of the running system as plain
// values, and its JSON rendering for `/status`.
//
// The host fills a `status_model` from its actors and counters (see
// docs/http.md for what each field means and who computes it); the HTTP
// code only renders it, so it knows nothing about actors. Rates are computed
// by the host; nothing here keeps state between snapshots. Pure values:
// build one per request, on any thread.

#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runtime/core/counters.hpp"
#include "runtime/core/latency_histogram.hpp"
#include "runtime/core/process_stats.hpp"
#include "runtime/core/reject_log.hpp"
#include "runtime/graph/graph_spec.hpp"
#include "runtime/http/member_work.hpp"
#include "runtime/http/readiness.hpp"
#include "runtime/io/io_endpoint.hpp"

namespace shoal {

/// One member of the cluster (a shoal-node process).
struct member_status {
  std::string name;
  /// Where it can be reached ("10.0.0.2:4242"); informational.
  std::string address;
  bool alive = false;
  /// Firings per second over the host's last interval.
  double load = 0;
  /// Graph nodes placed on it.
  uint64_t nodes = 0;
  /// Batches sent to its actors and not yet handled (mailbox backlog).
  int64_t backlog = 0;
  /// Samples its sources accepted and rejected, by reason.
  ingest_counts samples;
  /// Why its live sources rejected input: the first distinct reasons and
  /// the unknown sensor names.
  reject_log rejects;
};

/// One node of the graph with its placement and counters.
struct node_status {
  std::string name;
  node_kind kind = node_kind::sensor;
  /// Feature: its function; model: its model kind; sensor: empty.
  std::string fn;
  std::vector<std::string> needs;
  /// The member it is placed on (empty: not placed).
  std::string member;
  /// Features and models: firings, outputs, errors and the last error.
  node_counts counts;
  /// Sensors: samples accepted and rejected, by reason.
  ingest_counts samples;
  /// Output latency percentiles in nanoseconds, when known.
  std::optional<int64_t> p50_ns;
  std::optional<int64_t> p99_ns;
};

/// One live source (MQTT, TCP) of the member serving the page: how far its
/// watermark trails the clock and how much waits for it.
struct source_status {
  /// "mqtt #1 mqtt://127.0.0.1:1883 plant/#", "tcp #2 127.0.0.1:7790".
  std::string name;
  /// Its watermark: no sample at or before it is accepted any more
  /// (nanoseconds since the epoch).
  int64_t watermark_ns = 0;
  /// Now minus the watermark when it answered: the allowed lateness plus
  /// however long since its last tick; unknown at end of stream.
  std::optional<int64_t> lag_ns;
  /// Samples received and waiting for the source actor (its inbox).
  uint64_t queued = 0;
  /// The inbox is full: a TCP source stops reading, so TCP holds its
  /// clients back; an MQTT source refuses what arrives.
  bool full = false;
  /// Samples refused by a full inbox since start.
  uint64_t refused = 0;
};

/// A row from an ingest source's answer to `(stats_atom, get_atom)`
/// (actors/sources/ingest_source.hpp): a negative `lag_ns` is unknown.
source_status make_source_status(std::string name, int64_t watermark_ns,
                                 int64_t lag_ns, uint64_t queued, bool full,
                                 uint64_t refused);

/// Figures of the whole system (sums over the members).
struct totals_status {
  ingest_counts samples;
  uint64_t firings = 0;
  uint64_t outputs = 0;
  uint64_t errors = 0;
  int64_t backlog = 0;
  /// Per second over the host's last interval.
  double samples_per_s = 0;
  double firings_per_s = 0;
  double outputs_per_s = 0;
  double errors_per_s = 0;
};

/// Checkpoints as the member serving the page sees them
/// (docs/cluster.md, "Checkpoints").
struct checkpoint_status {
  /// The latest committed round (0: none).
  uint64_t committed = 0;
  /// Rounds this member led, committed and failed, and how long the last
  /// committed one took.
  uint64_t rounds_committed = 0;
  uint64_t rounds_failed = 0;
  /// Rounds not taken because nothing changed since the last one.
  uint64_t rounds_skipped = 0;
  double last_took_s = 0;
  /// Nodes of dead members placed again since start, and of those the ones
  /// that resumed from a checkpoint.
  uint64_t nodes_failed_over = 0;
  uint64_t nodes_warm = 0;
  /// The size of this member's checkpoint store.
  uint64_t store_bytes = 0;
  /// Live samples (TCP, MQTT) that sensors had accepted and failovers took
  /// back, as seen by this member's refreshes (actors/cluster/
  /// status_collector.hpp).
  uint64_t live_rolled_back = 0;
};

/// One point of the time charts: a refresh's rates and the output latency
/// of the outputs since the point before (runtime/http/status_history.hpp).
struct status_point {
  /// When the refresh arrived, in milliseconds since the Unix epoch.
  int64_t unix_ms = 0;
  double samples_per_s = 0;
  double outputs_per_s = 0;
  /// Unknown when no output arrived since the point before.
  std::optional<int64_t> p50_ns;
  std::optional<int64_t> p99_ns;
};

/// What the member serving the page did itself, which its /metrics
/// exports (docs/http.md, "Scraping a cluster").
struct own_status {
  std::string member;
  /// Its own nodes' work, counters that only go up
  /// (runtime/http/member_work.hpp), its sources' rejections included;
  /// `per_node` holds only the nodes chosen for /metrics
  /// (runtime/http/node_metrics.hpp).
  member_work work;
  /// Its process's mailbox backlog.
  int64_t backlog = 0;
  /// The output latency its sinks measured.
  latency_histogram latency;
};

struct status_model {
  /// Seconds since the member serving the page started.
  double uptime_s = 0;
  /// The process serving the page (CPU, memory, file descriptors), and
  /// its build (empty when not told).
  process_stats process;
  std::string version;
  std::string commit;
  totals_status totals;
  std::vector<member_status> members;
  std::vector<node_status> nodes;
  /// Network endpoints of the live I/O.
  std::vector<endpoint_status> endpoints;
  /// The live sources of the member serving the page, by name.
  std::vector<source_status> sources;
  /// Latency from a sample's arrival to the output it caused, all outputs.
  latency_histogram latency;
  /// Connections to this member's port refused before the actor protocol
  /// began (SPEC section 9).
  uint64_t connections_refused = 0;
  /// Checkpoints; unknown to a host that takes none.
  std::optional<checkpoint_status> checkpoints;
  /// The member's own part; unknown to a host that is not a cluster
  /// member, whose /metrics exports the whole model.
  std::optional<own_status> own;
  /// Whether the member serving the page is ready, and why not (what
  /// /healthz answers); unknown to a host that does not decide it.
  std::optional<readiness> ready;
  /// The last few minutes of refreshes, oldest first (the board's ring).
  std::vector<status_point> history;
};

/// Renders `/status` (compact JSON; the shape is in docs/http.md).
std::string render_status_json(const status_model& model);

} // namespace shoal
