// The member transport's TCP connect: it reaches a listening port, says
// which address it could not reach, and hands over a non-blocking socket.

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "actors/net/tcp_connect.hpp"
#include "runtime/core/errc.hpp"

using namespace shoal;

namespace {

/// A listening socket on 127.0.0.1 at a port the system picks.
struct listener {
  listener() {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    ::listen(fd, 4);
    socklen_t len = sizeof(addr);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
  }
  listener(const listener&) = delete;
  listener& operator=(const listener&) = delete;
  ~listener() {
    ::close(fd);
  }
  int fd = -1;
  uint16_t port = 0;
};

} // namespace

TEST(TcpConnect, ReachesAListeningPortWithANonBlockingSocket) {
  listener l;
  auto fd = connect_tcp("127.0.0.1", l.port, std::chrono::seconds(5));
  ASSERT_TRUE(fd) << describe(fd.error());
  EXPECT_NE(::fcntl(*fd, F_GETFL) & O_NONBLOCK, 0);
  EXPECT_NE(::fcntl(*fd, F_GETFD) & FD_CLOEXEC, 0);
  ::close(*fd);
}

TEST(TcpConnect, NamesTheAddressItCannotReach) {
  uint16_t port = 0;
  {
    listener l;
    port = l.port;
  }
  auto where = "127.0.0.1:" + std::to_string(port);
  auto fd = connect_tcp("127.0.0.1", port, std::chrono::seconds(5));
  ASSERT_FALSE(fd);
  EXPECT_EQ(describe(fd.error()), "cannot connect to " + where);
  fd = connect_tcp("no-such-host.invalid", 80, std::chrono::seconds(5));
  ASSERT_FALSE(fd);
  EXPECT_EQ(describe(fd.error()), "cannot resolve no-such-host.invalid:80");
}
