// A small HTTP client for the server tests, on Boost.Beast.
//
// Each call opens its own connection to 127.0.0.1 and runs its own
// io_context with a deadline, so a server that never answers fails the
// test instead of hanging it. Safe to call from many threads at once.

#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace shoal::test_support {

struct http_result {
  /// Empty when a whole response arrived; else what went wrong.
  std::string error;
  unsigned status = 0;
  std::string content_type;
  std::string content_length;
  std::string allow;
  std::string body;
};

/// Sends one request (`body` with a Content-Length when not empty) and
/// reads the response; HEAD responses are read without a body.
http_result
http_request(uint16_t port, const std::string& method,
             const std::string& target, const std::string& body = {},
             std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// Sends `bytes` as they are, then reads until the server closes the
/// connection or `timeout` passes. `closed` tells which.
struct raw_result {
  std::string received;
  bool closed = false;
};

raw_result raw_exchange(uint16_t port, const std::string& bytes,
                        std::chrono::milliseconds timeout
                        = std::chrono::seconds(10));

} // namespace shoal::test_support
