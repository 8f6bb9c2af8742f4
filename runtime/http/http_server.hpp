// The HTTP endpoint of a member: /metrics, /healthz, /status and the status
// page at /, served by Boost.Beast on a network thread of its own.
//
// `start` listens on "host:port" (port 0: any free port; `port()` tells the
// real one) and serves until the server is destroyed. Connections are
// asynchronous, so an idle, slow or broken client never holds up another;
// each read and each write has a deadline, after which the connection is
// closed. Requests whose headers or body exceed the limits get 413,
// malformed requests 400, and the connection is closed after either.
//
// The provider is called on the server's thread, once per /metrics or
// /status request, and the health provider once per /healthz request
// (http_routes.hpp); each must be safe to call from that thread while the
// rest of the system runs, and must outlive the server (the destructor joins
// the thread, after which it is never called again). Beast stays out of this
// header.

#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "caf/expected.hpp"

#include "runtime/http/http_routes.hpp"
#include "runtime/io/net_address.hpp"

namespace shoal {

class http_server {
public:
  struct options {
    /// Longest request head (request line and headers).
    uint32_t max_header_bytes = 8 * 1024;
    /// Longest request body (GET and HEAD need none).
    uint64_t max_body_bytes = 8 * 1024;
    /// Deadline to receive a whole request, and to wait for the next one on
    /// a kept-alive connection.
    std::chrono::milliseconds read_timeout = std::chrono::seconds(10);
    /// Deadline to send a whole response.
    std::chrono::milliseconds write_timeout = std::chrono::seconds(60);
    /// Connections open at once; more are closed right after accepting.
    uint32_t max_connections = 256;
  };

  /// Listens on `listen` and serves what `provider` reports.
  static caf::expected<std::unique_ptr<http_server>>
  start(const net_address& listen, status_provider provider, options opts);

  static caf::expected<std::unique_ptr<http_server>>
  start(const net_address& listen, status_provider provider) {
    return start(listen, std::move(provider), options{});
  }

  /// The same, with `/healthz` answered by `health`.
  static caf::expected<std::unique_ptr<http_server>>
  start(const net_address& listen, status_provider provider,
        health_provider health, options opts);

  ~http_server();

  /// The address actually listened on ("127.0.0.1:41234").
  const std::string& address() const;

  /// The port actually listened on.
  uint16_t port() const;

  /// Requests answered so far (any status).
  uint64_t requests() const;

  /// Connections open now.
  uint64_t connections() const;

  struct impl;

private:
  explicit http_server(std::unique_ptr<impl> ptr);

  std::unique_ptr<impl> impl_;
};

} // namespace shoal
