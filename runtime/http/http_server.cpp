#include "runtime/http/http_server.hpp"

#include <array>
#include <atomic>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>

#include "runtime/http/http_request.hpp"
#include "runtime/io/tcp_listener.hpp"

namespace shoal {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

struct http_server::impl {
  impl(status_provider p, health_provider h, options o)
    : provide(std::move(p)), health(std::move(h)), opts(o) {
    // nop
  }

  void accept();

  status_provider provide;
  health_provider health;
  options opts;
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> connections{0};
  /// After the members above: destroyed first, so that connections that
  /// go with the io_context still find them.
  tcp_listener net{"http server"};
  asio::steady_timer retry{net.io()};
};

namespace {

/// One client connection: reads requests and answers them in turn until
/// the client closes, asks to close, times out or sends something bad.
class connection : public std::enable_shared_from_this<connection> {
public:
  connection(http_server::impl& owner, tcp::socket sock)
    : owner_(owner), stream_(std::move(sock)) {
    ++owner_.connections;
  }

  ~connection() {
    --owner_.connections;
  }

  void read() {
    parser_.emplace();
    limit_parser(*parser_, request_limits{owner_.opts.max_header_bytes,
                                          owner_.opts.max_body_bytes});
    stream_.expires_after(owner_.opts.read_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       self->on_read(ec);
                     });
  }

private:
  void on_read(beast::error_code ec) {
    auto answer = answer_read(ec, *parser_, owner_.provide, owner_.health);
    if (!answer.send) {
      close();
      return;
    }
    if (answer.close_after) {
      error_reply(std::move(answer.reply));
      return;
    }
    auto& req = parser_->get();
    reply(std::move(answer.reply), req.version(), req.keep_alive(),
          req.method() == http::verb::head);
  }

  /// Answers a request that cannot be read, then closes the connection.
  void error_reply(http_reply answer) {
    linger_ = true;
    reply(std::move(answer), 11, false, false);
  }

  void reply(http_reply answer, unsigned version, bool keep_alive, bool head) {
    ++owner_.requests;
    res_.emplace(static_cast<http::status>(answer.status), version);
    res_->set(http::field::server, "shoal");
    res_->set(http::field::content_type, answer.content_type);
    res_->set(http::field::cache_control, "no-store");
    if (!answer.allow.empty())
      res_->set(http::field::allow, answer.allow);
    res_->keep_alive(keep_alive);
    auto size = answer.body.size();
    if (!head)
      res_->body() = std::move(answer.body);
    // HEAD: the length the GET body would have, and no body.
    res_->content_length(size);
    stream_.expires_after(owner_.opts.write_timeout);
    auto on_write = [self = shared_from_this()](beast::error_code ec, size_t) {
      self->on_write(ec);
    };
    if (head) {
      serializer_.emplace(*res_);
      http::async_write_header(stream_, *serializer_, std::move(on_write));
    } else {
      http::async_write(stream_, *res_, std::move(on_write));
    }
  }

  void on_write(beast::error_code ec) {
    bool again = !ec && res_->keep_alive();
    serializer_.reset();
    res_.reset();
    if (again)
      read();
    else
      close();
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    if (linger_) {
      // The client may still be sending what we refused to read; closing
      // now would reset the connection and could destroy our reply before
      // the client reads it. Discard its input until it closes, briefly.
      linger_ = false;
      stream_.expires_after(std::chrono::seconds(2));
      drain();
      return;
    }
    stream_.close();
  }

  void drain() {
    stream_.async_read_some(
      asio::buffer(discard_),
      [self = shared_from_this()](beast::error_code ec, size_t) {
        if (ec)
          self->stream_.close();
        else
          self->drain();
      });
  }

  using response = http::response<http::string_body>;

  http_server::impl& owner_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<request_parser> parser_;
  std::optional<response> res_;
  std::optional<http::response_serializer<http::string_body>> serializer_;
  bool linger_ = false;
  std::array<char, 4096> discard_;
};

} // namespace

void http_server::impl::accept() {
  net.acceptor().async_accept(
    [this](const boost::system::error_code& ec, tcp::socket sock) {
      if (ec == asio::error::operation_aborted)
        return;
      if (ec) {
        // Out of file descriptors, most likely: try again a little later
        // instead of spinning.
        net.report("cannot accept: " + ec.message());
        retry.expires_after(std::chrono::milliseconds(100));
        retry.async_wait([this](const boost::system::error_code& wec) {
          if (!wec)
            accept();
        });
        return;
      }
      if (connections.load() < opts.max_connections)
        std::make_shared<connection>(*this, std::move(sock))->read();
      accept();
    });
}

caf::expected<std::unique_ptr<http_server>>
http_server::start(const net_address& listen, status_provider provider,
                   options opts) {
  return start(listen, std::move(provider), health_provider{}, opts);
}

caf::expected<std::unique_ptr<http_server>>
http_server::start(const net_address& listen, status_provider provider,
                   health_provider health, options opts) {
  auto ptr
    = std::make_unique<impl>(std::move(provider), std::move(health), opts);
  if (auto err = ptr->net.open(listen))
    return err;
  ptr->accept();
  ptr->net.run();
  return std::unique_ptr<http_server>{new http_server(std::move(ptr))};
}

http_server::http_server(std::unique_ptr<impl> ptr) : impl_(std::move(ptr)) {
  // nop
}

http_server::~http_server() {
  impl_->net.stop();
}

const std::string& http_server::address() const {
  return impl_->net.address();
}

uint16_t http_server::port() const {
  return impl_->net.port();
}

uint64_t http_server::requests() const {
  return impl_->requests.load();
}

uint64_t http_server::connections() const {
  return impl_->connections.load();
}

} // namespace shoal
