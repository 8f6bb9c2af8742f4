#include "actors/net/tcp_connect.hpp"

#include <cerrno>
#include <memory>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "caf/detail/socket_guard.hpp"

#include "runtime/core/errc.hpp"

namespace shoal {

caf::expected<caf::io::network::native_socket>
connect_tcp(const std::string& host, uint16_t port,
            std::chrono::milliseconds timeout) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  auto where = host + ":" + std::to_string(port);
  if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found)
      != 0)
    return make_error(errc::io_error, "cannot resolve " + where);
  std::unique_ptr<addrinfo, void (*)(addrinfo*)> list{found, freeaddrinfo};
  for (auto ai = found; ai != nullptr; ai = ai->ai_next) {
    auto fd = ::socket(ai->ai_family,
                       ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
      continue;
    caf::detail::socket_guard guard{fd};
    if (::connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
      if (errno != EINPROGRESS)
        continue;
      pollfd p{fd, POLLOUT, 0};
      if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1)
        return make_error(errc::io_error,
                          "cannot connect to " + where + " within "
                            + std::to_string(timeout.count()) + " ms");
      int err = 0;
      socklen_t n = sizeof(err);
      if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &n) != 0 || err != 0)
        continue;
    }
    return guard.release();
  }
  return make_error(errc::io_error, "cannot connect to " + where);
}

} // namespace shoal
