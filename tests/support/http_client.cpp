#include "tests/support/http_client.hpp"

#include <array>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <functional>

namespace shoal::test_support {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

namespace {

tcp::endpoint loopback(uint16_t port) {
  return {asio::ip::make_address("127.0.0.1"), port};
}

} // namespace

http_result http_request(uint16_t port, const std::string& method,
                         const std::string& target, const std::string& body,
                         std::chrono::milliseconds timeout) {
  http_result out;
  asio::io_context io;
  beast::tcp_stream stream{io};
  http::request<http::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  req.set(http::field::host, "127.0.0.1");
  req.keep_alive(false);
  if (!body.empty()) {
    req.body() = body;
    req.prepare_payload();
  }
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(256 * 1024 * 1024);
  if (req.method() == http::verb::head)
    parser.skip(true);
  beast::error_code result = asio::error::timed_out;
  stream.expires_after(timeout);
  stream.async_connect(loopback(port), [&](beast::error_code ec) {
    if (ec) {
      result = ec;
      return;
    }
    http::async_write(stream, req, [&](beast::error_code wec, size_t) {
      // A server that refuses a request may answer before reading it all:
      // read the reply even when the write failed.
      http::async_read(stream, buffer, parser,
                       [&, wec](beast::error_code rec, size_t) {
                         result = rec ? rec : beast::error_code{};
                         if (rec && wec)
                           result = wec;
                       });
    });
  });
  io.run_for(timeout + std::chrono::seconds(1));
  if (result) {
    out.error = result.message();
    return out;
  }
  auto& res = parser.get();
  out.status = res.result_int();
  out.content_type = std::string{res[http::field::content_type]};
  out.content_length = std::string{res[http::field::content_length]};
  out.allow = std::string{res[http::field::allow]};
  out.body = res.body();
  return out;
}

raw_result raw_exchange(uint16_t port, const std::string& bytes,
                        std::chrono::milliseconds timeout) {
  raw_result out;
  asio::io_context io;
  tcp::socket sock{io};
  boost::system::error_code ec;
  sock.connect(loopback(port), ec);
  if (ec)
    return out;
  asio::write(sock, asio::buffer(bytes), ec);
  std::array<char, 4096> buf;
  std::function<void()> read = [&] {
    sock.async_read_some(asio::buffer(buf),
                         [&](boost::system::error_code rec, size_t n) {
                           out.received.append(buf.data(), n);
                           if (rec) {
                             out.closed = true;
                             return;
                           }
                           read();
                         });
  };
  read();
  io.run_for(timeout);
  return out;
}

} // namespace shoal::test_support
