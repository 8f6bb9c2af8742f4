// The live sources and sinks of a cluster member (SPEC sections 7 and 8).
//
// `open` opens the member's configured sinks (`open_sinks`) when it starts.
// Each time the member learns a deployment or a change of it
// (`on_deployment`, from the member actor's `(deploy_atom, ...)` notice to
// its monitor):
//   - with sinks configured, a sink_actor on the member's output_sink
//     subscribes to every emitting node of the graph, wherever it runs
//     (remote handles); on a change it re-syncs to the new set of emitting
//     nodes (new ones, new actors of replaced ones, removed ones gone);
//   - with sources configured, sources start on the first deployment,
//     attached to every sensor of the graph wherever it runs (no progress
//     tracker: cluster graphs ask for watermarks edge by edge), so a sample
//     entering at any member reaches its sensor; when the sensors change
//     (added, removed, placed again after a failure) the running sources
//     are re-bound to the new set, keeping their connections and counts.
// An empty deployment (the graph ended) ends the sources. A source or
// sink that fails to start on a deployment is an error for the caller to
// log; the member keeps running (its nodes are part of the graph).
// `status` and `readiness` may be called from any thread (the status
// collector's, the HTTP server's); the rest is for the thread that owns the
// scoped actor. Errors name the entry
// ("source #1: ...").

#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/expected.hpp"
#include "caf/scoped_actor.hpp"

#include "actors/cluster/directory.hpp"
#include "actors/sources/live_io.hpp"
#include "runtime/core/log_sink.hpp"
#include "runtime/graph/graph_spec.hpp"
#include "runtime/http/readiness.hpp"
#include "runtime/io/io_config.hpp"

namespace shoal {

class member_io {
public:
  /// Opens the sinks of `cfg` for the member `name` (named in its log
  /// lines, which go to `log`; it must outlive the member_io).
  static caf::expected<std::unique_ptr<member_io>>
  open(io_config cfg, std::string name, log_sink* log = &stderr_log());

  member_io(const member_io&) = delete;
  member_io& operator=(const member_io&) = delete;
  ~member_io();

  /// Wires a sink and starts the sources on the deployment of `g`, whose
  /// nodes run where `dir` says; ends the sources when `dir` is empty.
  caf::error on_deployment(caf::scoped_actor& self, const graph_spec& g,
                           const directory& dir);

  /// Ends the sources and stops the sink and source actors.
  void stop(caf::scoped_actor& self);

  /// The sink actor of the configured sinks, once a graph is deployed.
  caf::actor sink() const {
    return sink_;
  }

  /// The ingest_source actors of the current deployment; any thread.
  std::vector<caf::actor> source_actors() const;

  /// The status of every network endpoint (sinks, then sources).
  std::vector<endpoint_status> status() const;

  /// Each configured source as readiness sees it, in configuration order:
  /// started (with the first deployment), connected and subscribed; any
  /// thread.
  std::vector<source_readiness> readiness() const;

private:
  member_io() = default;

  void end_sources(caf::scoped_actor& self);

  io_config cfg_;
  std::string name_;
  log_sink* log_ = nullptr;
  std::shared_ptr<output_sink> out_;
  caf::actor sink_;
  /// Guards the endpoint lists of `sinks_` and `sources_`.
  mutable std::mutex mtx_;
  live_io sinks_;
  live_io sources_;
  /// The sensors the sources feed.
  std::vector<std::string> sensor_names_;
  std::vector<caf::actor> sensor_actors_;
};

} // namespace shoal
