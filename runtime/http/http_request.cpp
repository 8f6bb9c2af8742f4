#include "runtime/http/http_request.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <string>

namespace shoal {

namespace http = boost::beast::http;

namespace {

/// Beast of Boost 1.74 has its own string_view.
std::string_view std_view(boost::beast::string_view x) {
  return {x.data(), x.size()};
}

bool is_parse_error(const boost::beast::error_code& ec) {
  return ec.category()
         == http::make_error_code(http::error::bad_target).category();
}

request_answer refuse(unsigned status, std::string body) {
  return request_answer{
    true, true,
    http_reply{status, "text/plain; charset=utf-8", std::move(body), {}}};
}

/// What the server's read reports when the client closes: nothing read at
/// all is the end of the stream, part of a request is what the parser says.
void put_eof(request_parser& parser, boost::beast::error_code& ec) {
  if (parser.got_some())
    parser.put_eof(ec);
  else
    ec = http::error::end_of_stream;
}

} // namespace

void limit_parser(request_parser& parser, const request_limits& limits) {
  parser.header_limit(limits.max_header_bytes);
  parser.body_limit(limits.max_body_bytes);
}

request_answer answer_read(const boost::beast::error_code& ec,
                           request_parser& parser,
                           const status_provider& provider,
                           const health_provider& health) {
  if (ec == http::error::header_limit || ec == http::error::body_limit)
    return refuse(413, "request too large\n");
  if (ec == http::error::end_of_stream || ec == http::error::partial_message
      || (ec && !is_parse_error(ec))) {
    // Gone, timed out or cut off: nobody to answer.
    return request_answer{};
  }
  if (ec)
    return refuse(400, "bad request: " + ec.message() + "\n");
  auto& req = parser.get();
  return request_answer{true, false,
                        route_request(std_view(req.method_string()),
                                      std_view(req.target()), provider,
                                      health)};
}

request_answer answer_bytes(std::string_view bytes,
                            const request_limits& limits,
                            const status_provider& provider,
                            const health_provider& health) {
  request_parser parser;
  limit_parser(parser, limits);
  // Beast's read of a whole message parses eagerly, the body included.
  parser.eager(true);
  boost::beast::error_code ec;
  // As Beast's read does: offer everything not yet consumed; the parser
  // asks for more (need_more) only when it has seen all of it, so ask the
  // client, who has closed: the end of the stream. Offering the same bytes
  // again would break the parser's contract.
  while (!parser.is_done()) {
    if (bytes.empty()) {
      put_eof(parser, ec);
      break;
    }
    auto used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
    bytes.remove_prefix(used);
    if (ec == http::error::need_more) {
      put_eof(parser, ec);
      break;
    }
    if (ec)
      break;
  }
  return answer_read(ec, parser, provider, health);
}

} // namespace shoal
