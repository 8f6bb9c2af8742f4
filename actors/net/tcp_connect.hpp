// A TCP connection with a deadline, for the member transport.
//
// CAF 0.17's own connect blocks until the kernel gives up (minutes for a
// host that drops packets); `connect_tcp` tries each address of `host` with
// a non-blocking connect and waits at most `timeout` for it. The socket it
// returns is non-blocking and close-on-exec; the caller owns it. Blocks the
// calling thread for at most `timeout` per address (plus name resolution);
// thread-safe.

#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "caf/expected.hpp"
#include "caf/io/network/native_socket.hpp"

namespace shoal {

/// A TCP connection to `host:port` made within `timeout`, or an
/// `errc::io_error` naming the address.
caf::expected<caf::io::network::native_socket>
connect_tcp(const std::string& host, uint16_t port,
            std::chrono::milliseconds timeout);

} // namespace shoal
