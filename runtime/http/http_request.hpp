// Reading one HTTP request and deciding the answer, without a socket: what
// the server does once a read of a request has ended, and the same from
// bytes in memory for tests and fuzzing.
//
// The server (http_server.cpp) reads each request with Boost.Beast's
// `request_parser`, limited to the head and body sizes of its options, then
// asks `answer_read` what to send: nothing for a client that is gone, 413
// for a request over the limits, 400 for a malformed one (the connection
// closes after either), else the reply of `route_request`. `answer_bytes`
// feeds bytes to such a parser the way the server's read does when a client
// sends them and closes, so tests and the fuzz target exercise the same
// decisions. Beast appears in this header, so only the server and those
// include it. Pure; safe to call from any thread.

#pragma once

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <string_view>

#include "runtime/http/http_routes.hpp"

namespace shoal {

using request_parser
  = boost::beast::http::request_parser<boost::beast::http::string_body>;

/// The limits of one request, as the server's options give them.
struct request_limits {
  /// Longest request head (request line and headers).
  uint32_t max_header_bytes = 8 * 1024;
  /// Longest request body.
  uint64_t max_body_bytes = 8 * 1024;
};

/// What to do once the read of a request has ended.
struct request_answer {
  /// Whether to answer at all: false when the client is gone, timed out or
  /// cut its request off.
  bool send = false;
  /// Whether to close the connection after the reply: the request could
  /// not be read (413 or 400).
  bool close_after = false;
  http_reply reply;
};

/// Limits `parser`, new, to `limits`.
void limit_parser(request_parser& parser, const request_limits& limits);

/// Decides the answer to a read of one request into `parser` that ended
/// with `ec`; routes a request read whole with `route_request` (`health`
/// answers /healthz; without one it says ok).
request_answer answer_read(const boost::beast::error_code& ec,
                           request_parser& parser,
                           const status_provider& provider,
                           const health_provider& health = {});

/// Reads one request from `bytes` as the server would from a client that
/// sends `bytes` and then closes its side, and answers it.
request_answer answer_bytes(std::string_view bytes,
                            const request_limits& limits,
                            const status_provider& provider,
                            const health_provider& health = {});

} // namespace shoal
