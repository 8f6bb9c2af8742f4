// The status page of the live demo (`shoal-node --http HOST:PORT`).
//
// The demo runs its graph in this process without a cluster member, so no
// status collector feeds a board: the demo's loop calls `refresh` once a
// second and this fills the same status_board a member's HTTP endpoint
// reads (runtime/http/status_board.hpp), so the same page, /status and
// /metrics serve it. The demo is one member named "demo" holding every
// node; the figures are the process's counters (runtime/core/metrics.hpp)
// with rates over the loop's last second, the sink's output latency, and
// with `--mqtt` the broker's endpoints and the MQTT source's lag and
// backlog. Nodes carry no
// counters of their own: the demo's cells publish none (docs/http.md).
// Owned by the demo's main thread; the HTTP server reads the board on its
// own thread.

#pragma once

#include <memory>
#include <string>
#include <vector>

#include "caf/expected.hpp"
#include "caf/scoped_actor.hpp"

#include "runtime/core/metrics.hpp"
#include "runtime/graph/graph_spec.hpp"
#include "runtime/http/http_server.hpp"
#include "runtime/http/status_board.hpp"
#include "runtime/io/io_endpoint.hpp"

namespace shoal {

class demo_status {
public:
  /// Serves the page for graph `g` on `listen` ("host:port").
  static caf::expected<std::unique_ptr<demo_status>>
  start(const std::string& listen, const graph_spec& g);

  /// Stores a status as of now: the counters of `m`, rates over the `dt`
  /// seconds since the previous call, the outputs and latency the sink
  /// counted so far (`latency` as latency_histogram::to_numbers), the
  /// network endpoints and the live sources.
  void refresh(const metrics& m, double dt, uint64_t outputs,
               const std::vector<uint64_t>& latency,
               std::vector<endpoint_status> endpoints,
               std::vector<source_status> sources);

  /// What the ingest_source actors `xs` say of their lag and backlog
  /// (those that answer within a second).
  static std::vector<source_status>
  ask_sources(caf::scoped_actor& self, const std::vector<caf::actor>& xs);

  /// Where it listens ("127.0.0.1:8080").
  const std::string& address() const;

private:
  demo_status() = default;

  std::shared_ptr<status_board> board_;
  std::unique_ptr<http_server> server_;
  /// The graph's part of every status: the member and the nodes.
  status_model base_;
  totals_status last_;
};

} // namespace shoal
