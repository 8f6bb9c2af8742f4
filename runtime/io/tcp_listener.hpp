// The Boost.Asio plumbing that tcp_source and tcp_sink share: an io_context
// run by one thread, and an acceptor bound to a configured address.
//
// Internal to runtime/io (includes Boost.Asio; keep it out of public
// headers). `open` binds and listens; `run` starts the thread; `stop` (or
// the destructor) stops the io_context and joins the thread, so that no
// handler runs after it. Errors name the role ("tcp source") and the address.

#pragma once

#include <boost/asio.hpp>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

#include "caf/error.hpp"

#include "runtime/io/net_address.hpp"

namespace shoal {

class tcp_listener {
public:
  explicit tcp_listener(std::string role) : role_(std::move(role)) {
    // nop
  }

  tcp_listener(const tcp_listener&) = delete;

  tcp_listener& operator=(const tcp_listener&) = delete;

  ~tcp_listener();

  /// Binds to `addr` and listens.
  caf::error open(const net_address& addr);

  /// Starts the network thread.
  void run();

  /// Stops the io_context and joins the thread (also done by the destructor);
  /// call it first when handlers use members of the owner.
  void stop();

  boost::asio::io_context& io() {
    return io_;
  }

  boost::asio::ip::tcp::acceptor& acceptor() {
    return acceptor_;
  }

  /// The address actually bound ("127.0.0.1:41234").
  const std::string& address() const {
    return address_;
  }

  uint16_t port() const {
    return port_;
  }

  /// Logs `text` on stderr and keeps it as the last problem.
  void report(const std::string& text);

  std::string last_error() const;

private:
  std::string role_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_{io_};
  /// Keeps `run` going while no operation is pending.
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type>
    work_{io_.get_executor()};
  std::thread thread_;
  std::string address_;
  uint16_t port_ = 0;
  mutable std::mutex mtx_;
  std::string last_error_;
};

/// "host:port" of the peer of `sock`, or "unknown peer".
std::string peer_name(const boost::asio::ip::tcp::socket& sock);

} // namespace shoal
