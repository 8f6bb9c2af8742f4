// Whether a member is ready (SPEC section 10): what `/healthz` answers and
// the `shoal_ready` gauge of `/metrics`, decided from plain facts.
//
// The host gathers `readiness_facts` (the member actor's answers through
// the status board, the live sources' connections at the time of the
// request) and `decide_readiness` turns them into a verdict: ready, or the
// first thing missing as a one-line reason. The checks, in order (the first
// that fails is the reason; docs/http.md lists the exact texts):
//   1. the member actor is alive;
//   2. a status was gathered, and not longer ago than the bound (a status
//      collector that stopped refreshing cannot vouch for anything);
//   3. the member joined its cluster, or decided it is alone;
//   4. a graph is deployed (the deploy finished; a graph node that fails
//      takes its graph host and the member actor down with it, links, so
//      check 1 covers the nodes);
//   5. every configured source runs, is connected and is subscribed.
// Pure values and a pure function; safe on any thread.

#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace shoal {

/// One configured live source, as readiness sees it.
struct source_readiness {
  /// Names the source in the reason ("source #1 (mqtt 127.0.0.1:1883
  /// plant/#)").
  std::string label;
  /// Its endpoint and actor run (sources start with the first deployment).
  bool started = false;
  /// MQTT: the broker accepted the connection. TCP: listening.
  bool connected = false;
  /// MQTT: the broker acknowledged every subscription of the current
  /// connection. TCP: listening.
  bool subscribed = false;
};

/// What the member actor says about itself (through the status collector).
struct member_readiness {
  /// It joined a cluster, or decided it is alone (runtime/cluster/formation).
  bool joined = false;
  /// A graph is deployed: the first deploy finished.
  bool deployed = false;
};

struct readiness_facts {
  /// The member actor exited, and why (empty while it runs).
  bool member_down = false;
  std::string member_down_reason;
  /// Nanoseconds since the member last answered a status refresh; none
  /// before the first answer.
  std::optional<int64_t> status_age_ns;
  /// An older status is stale.
  int64_t max_status_age_ns = 5'000'000'000;
  /// The member's last answer (meaningful once `status_age_ns` is set).
  member_readiness member;
  std::vector<source_readiness> sources;
};

struct readiness {
  bool ready = false;
  /// Why not ("not ready: joining the cluster"); empty when ready.
  std::string reason;
};

/// The verdict for `facts` (see the checks above).
readiness decide_readiness(const readiness_facts& facts);

} // namespace shoal
