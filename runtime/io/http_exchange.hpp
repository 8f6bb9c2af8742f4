// One HTTP/1.1 request and its answer, with a deadline: the client side of
// the InfluxDB sink and replay source (Boost.Beast).
//
// Each call opens its own connection, sends the request, reads the whole
// answer and closes; every step (resolving, connecting, writing, reading)
// runs under one deadline, so a server that stalls costs at most `timeout`.
// The answer's body is read only up to `max_body` bytes: a larger answer is
// an error, whatever its Content-Length says. Errors are `errc::io_error`
// of the form "HOST:PORT: <what failed>". Safe to call from any thread; a
// call blocks its caller, so callers keep it off actor threads.

#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "caf/expected.hpp"

#include "runtime/io/net_address.hpp"

namespace shoal {

struct http_call {
  /// "GET" or "POST".
  std::string method = "GET";
  /// The request target: path and query, percent-encoded already.
  std::string target = "/";
  /// Sent with a Content-Length when not empty.
  std::string body;
  std::string content_type = "text/plain; charset=utf-8";
  std::chrono::milliseconds timeout{5000};
  size_t max_body = size_t{16} << 20;
};

struct http_answer {
  unsigned status = 0;
  std::string body;
};

/// Sends `call` to `server` and returns its answer (any status).
caf::expected<http_answer> http_exchange(const net_address& server,
                                         const http_call& call);

/// `text` with every byte but the unreserved ones (RFC 3986) written as
/// %XX, for a query parameter.
std::string percent_encode(const std::string& text);

} // namespace shoal
