// The member port's transport: the only way Shoal opens or reaches a member
// port (SPEC section 9).
//
// `member_transport` owns an actor with the interface of CAF's middleman
// actor (`publish_atom`, `connect_atom`, ...): the member publishes itself
// through it, the member connects to its seeds through it, and shoalctl
// connects through it. Every connection it makes or accepts carries a
// `basp_guard` (runtime/cluster/basp_guard.hpp), so no peer can make the
// process allocate a huge frame before the handshake. With `tls` (the
// member's or shoalctl's `[security]` files, see tls_setup.hpp) every
// connection is TLS with mutual authentication through CAF's OpenSSL
// module: a peer without a certificate signed by the cluster's CA gets no
// byte of the actor protocol. A refused connection (failed TLS handshake,
// or a frame the guard refuses) is counted in `stats->refused` and logged
// with the peer's address; a failed outgoing handshake is logged.
// Outgoing connections wait at most `connect_timeout` for TCP.
//
// The actor runs on its own thread (it connects with a deadline, which
// blocks); the destructor stops it and waits for it, so a member_transport
// must be destroyed before its actor system. The stats and the log may be
// used from any thread.

#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "caf/actor_system.hpp"
#include "caf/expected.hpp"
#include "caf/io/middleman_actor.hpp"
#include "caf/scoped_actor.hpp"

#include "runtime/io/net_address.hpp"

namespace shoal {

/// Counters of a transport; shared with whoever renders /metrics.
struct transport_stats {
  /// Incoming connections closed before the actor protocol began: a failed
  /// TLS handshake (no or untrusted certificate) or a refused frame.
  std::atomic<uint64_t> refused{0};
};

struct transport_options {
  /// Speak TLS with mutual authentication; the actor system must have
  /// CAF's OpenSSL module loaded with this process's files (tls_setup.hpp).
  bool tls = false;
  /// Where refused connections are counted (created when null).
  std::shared_ptr<transport_stats> stats;
  /// Where refused connections are told ("refused connection from ...");
  /// nothing is told when empty. Called on CAF's network thread.
  std::function<void(const std::string&)> log;
  /// How long a TCP connect may take.
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(5)};
};

class member_transport {
public:
  member_transport(caf::actor_system& sys, transport_options opts);
  member_transport(const member_transport&) = delete;
  member_transport& operator=(const member_transport&) = delete;
  ~member_transport();

  /// The actor to send `publish_atom` and `connect_atom` requests to.
  const caf::io::middleman_actor& actor() const {
    return actor_;
  }

  const std::shared_ptr<transport_stats>& stats() const {
    return stats_;
  }

  /// CAF's protocol handler behind every connection (its BASP broker). It
  /// is not ours to guard: CAF 0.17 throws on some malformed messages
  /// (docs/security.md), which ends it, and with it every connection of
  /// the process; whoever runs a member watches it.
  const caf::actor& protocol_handler() const {
    return broker_;
  }

  /// Publishes `whom` on `at` (reusing the address); returns the port.
  caf::expected<uint16_t> publish(caf::scoped_actor& self,
                                  const caf::actor& whom,
                                  const net_address& at);

private:
  caf::actor_system& sys_;
  std::shared_ptr<transport_stats> stats_;
  caf::actor broker_;
  caf::io::middleman_actor actor_;
};

} // namespace shoal
