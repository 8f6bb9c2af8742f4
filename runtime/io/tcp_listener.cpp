#include "runtime/io/tcp_listener.hpp"

#include "runtime/core/errc.hpp"

namespace shoal {

namespace asio = boost::asio;
using asio::ip::tcp;

tcp_listener::~tcp_listener() {
  stop();
}

void tcp_listener::stop() {
  io_.stop();
  if (thread_.joinable())
    thread_.join();
}

caf::error tcp_listener::open(const net_address& addr) {
  auto fail
    = [&](const std::string& what, const boost::system::error_code& ec) {
        return make_error(errc::io_error, role_ + " " + addr.to_string() + ": "
                                            + what + ": " + ec.message());
      };
  boost::system::error_code ec;
  tcp::resolver resolver{io_};
  auto results = resolver.resolve(addr.host, std::to_string(addr.port),
                                  tcp::resolver::passive, ec);
  if (ec || results.empty())
    return fail("cannot resolve the address", ec);
  auto ep = results.begin()->endpoint();
  acceptor_.open(ep.protocol(), ec);
  if (!ec)
    acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec)
    acceptor_.bind(ep, ec);
  if (!ec)
    acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return fail("cannot listen", ec);
  auto local = acceptor_.local_endpoint(ec);
  port_ = local.port();
  address_ = net_address{local.address().to_string(), port_}.to_string();
  return caf::none;
}

void tcp_listener::run() {
  thread_ = std::thread{[this] {
    io_.run();
  }};
}

void tcp_listener::report(const std::string& text) {
  std::fprintf(stderr, "shoal: %s %s: %s\n", role_.c_str(), address_.c_str(),
               text.c_str());
  std::lock_guard<std::mutex> guard{mtx_};
  last_error_ = text;
}

std::string tcp_listener::last_error() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return last_error_;
}

std::string peer_name(const tcp::socket& sock) {
  boost::system::error_code ec;
  auto ep = sock.remote_endpoint(ec);
  if (ec)
    return "unknown peer";
  return net_address{ep.address().to_string(), ep.port()}.to_string();
}

} // namespace shoal
