#include "runtime/io/http_exchange.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "runtime/core/errc.hpp"

namespace shoal {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

/// The steps of one exchange, each started by the one before it.
struct exchange {
  exchange(const net_address& server, const http_call& call)
    : resolver(io), stream(io) {
    req.method_string(call.method);
    req.target(call.target);
    req.version(11);
    req.set(bhttp::field::host, server.to_string());
    req.set(bhttp::field::connection, "close");
    if (!call.body.empty()) {
      req.set(bhttp::field::content_type, call.content_type);
      req.body() = call.body;
    }
    req.prepare_payload();
    parser.body_limit(call.max_body);
    max_body = call.max_body;
  }

  void start(const net_address& server) {
    resolver.async_resolve(
      server.host, std::to_string(server.port),
      [this](beast::error_code ec, tcp::resolver::results_type found) {
        if (fail(ec, "cannot resolve"))
          return;
        connect(found);
      });
  }

  void connect(const tcp::resolver::results_type& found) {
    stream.async_connect(found, [this](beast::error_code ec, tcp::endpoint) {
      if (fail(ec, "cannot connect"))
        return;
      write();
    });
  }

  void write() {
    bhttp::async_write(stream, req, [this](beast::error_code ec, size_t) {
      if (fail(ec, "cannot send the request"))
        return;
      bhttp::async_read(stream, buffer, parser,
                        [this](beast::error_code rec, size_t) {
                          if (fail(rec, "cannot read the answer"))
                            return;
                          done = true;
                        });
    });
  }

  /// Records `ec` as the reason, if it is an error.
  bool fail(beast::error_code ec, const char* what) {
    if (!ec)
      return false;
    // After a timeout the cancelled steps report "operation canceled":
    // the first reason is the one to tell.
    if (!why.empty())
      return true;
    if (ec == bhttp::error::body_limit)
      why = "the answer is larger than " + std::to_string(max_body) + " bytes";
    else if (ec == beast::error::timeout)
      why = std::string{what} + ": no answer in time";
    else
      why = std::string{what} + ": " + ec.message();
    return true;
  }

  asio::io_context io;
  tcp::resolver resolver;
  beast::tcp_stream stream;
  bhttp::request<bhttp::string_body> req;
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  size_t max_body = 0;
  std::string why;
  bool done = false;
};

} // namespace

caf::expected<http_answer> http_exchange(const net_address& server,
                                         const http_call& call) {
  exchange x{server, call};
  x.stream.expires_after(call.timeout);
  x.start(server);
  x.io.run_for(call.timeout);
  if (!x.done && x.why.empty()) {
    // The resolver ignores the stream's deadline; cancel whatever still
    // runs and let its handlers finish before the exchange goes away.
    x.resolver.cancel();
    beast::error_code ignored;
    x.stream.socket().close(ignored);
    x.why = "no answer within " + std::to_string(call.timeout.count()) + " ms";
  }
  x.io.restart();
  x.io.run();
  if (!x.done)
    return make_error(errc::io_error, server.to_string() + ": " + x.why);
  auto& res = x.parser.get();
  return http_answer{res.result_int(), std::move(res.body())};
}

std::string percent_encode(const std::string& text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    bool alnum = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')
                 || (c >= 'a' && c <= 'z');
    if (alnum || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0xF];
    }
  }
  return out;
}

} // namespace shoal
