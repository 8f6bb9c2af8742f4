// Starting a member's live sources and sinks from its io_config.
//
// Two steps, around the deployment of the graph:
//   1. `open_sinks` opens every configured sink and returns the one
//      output_sink to deploy the graph with (`deploy_with_sink`): a
//      discard_sink when none is configured, the sink itself when one is,
//      a fanout_sink over all of them otherwise;
//   2. `start_sources` starts each configured source on the deployment:
//      its network endpoint (MQTT subscription, TCP listener) filling a
//      sample_inbox, an ingest_source actor attached to every sensor
//      (`attach_source`), and its first tick.
// `live_io` owns the network endpoints: destroying it closes every
// connection and joins the network threads. The ingest_source actors are
// the owner's to stop (`done_atom` ends their streams, then exit them).
// Errors name the entry ("source #2: ...") and the address.

#pragma once

#include <memory>
#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/expected.hpp"
#include "caf/scoped_actor.hpp"

#include "actors/deploy/deployment.hpp"
#include "runtime/io/io_config.hpp"
#include "runtime/io/io_endpoint.hpp"
#include "runtime/io/output_sink.hpp"

namespace shoal {

struct live_io {
  /// The ingest_source actor of each source, in configuration order.
  std::vector<caf::actor> sources;
  /// The network endpoints of the sinks and sources, in the order they
  /// were opened (sinks first); they stay open as long as this object.
  std::vector<std::shared_ptr<io_endpoint>> endpoints;

  /// The status of every endpoint.
  std::vector<endpoint_status> status() const;
};

/// Opens the sinks of `specs`; network sinks are added to `io.endpoints`.
caf::expected<std::shared_ptr<output_sink>>
open_sinks(live_io& io, const std::vector<sink_spec>& specs);

/// Starts the sources of `specs` on `d`; actors go to `io.sources`. An
/// MQTT source with a persistent session connects as the client id
/// `mqtt_source::client_id(owner, i)`, `i` its position in `specs` from 1.
caf::error start_sources(live_io& io, caf::scoped_actor& self,
                         const deployment& d,
                         const std::vector<source_spec>& specs,
                         const std::string& owner);

} // namespace shoal
