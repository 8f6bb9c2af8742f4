#include "runtime/io/tcp_source.hpp"

#include <atomic>
#include <chrono>

#include "runtime/io/tcp_listener.hpp"

namespace shoal {

namespace asio = boost::asio;
using asio::ip::tcp;

struct tcp_source::impl {
  explicit impl(std::shared_ptr<sample_inbox> box, options o)
    : net("tcp source"), inbox(std::move(box)), opts(o) {
    // nop
  }

  void accept();

  tcp_listener net;
  std::shared_ptr<sample_inbox> inbox;
  options opts;
  std::atomic<uint64_t> clients{0};
  std::atomic<uint64_t> received{0};
  std::atomic<uint64_t> malformed{0};
};

namespace {

/// One client connection: reads frames until the client leaves or sends
/// something malformed.
class session : public std::enable_shared_from_this<session> {
public:
  session(tcp_source::impl& owner, tcp::socket sock)
    : owner_(owner), sock_(std::move(sock)), timer_(owner.net.io()),
      reader_(owner.opts.max_frame_bytes), peer_(peer_name(sock_)) {
    ++owner_.clients;
  }

  void read() {
    if (owner_.inbox->full()) {
      // Let the actor catch up; the client waits in TCP flow control.
      timer_.expires_after(std::chrono::milliseconds(1));
      timer_.async_wait(
        [self = shared_from_this()](const boost::system::error_code& ec) {
          if (!ec)
            self->read();
        });
      return;
    }
    // `buffer()` makes room, so it comes before `capacity()`.
    auto* buf = reader_.buffer();
    sock_.async_read_some(asio::buffer(buf, reader_.capacity()),
                          [self = shared_from_this()](
                            const boost::system::error_code& ec, size_t n) {
                            self->on_read(ec, n);
                          });
  }

private:
  void on_read(const boost::system::error_code& ec, size_t n) {
    if (ec) {
      if (reader_.pending() > 0)
        reject(1, "connection ended inside a frame ("
                    + std::to_string(reader_.pending()) + " bytes pending)");
      else if (ec != asio::error::eof && ec != asio::error::operation_aborted)
        owner_.net.report(peer_ + ": " + ec.message());
      close();
      return;
    }
    auto res = reader_.consume(n, samples_);
    if (!samples_.empty()) {
      owner_.received += samples_.size();
      owner_.inbox->push(samples_);
    }
    if (res.malformed > 0)
      reject(res.malformed, res.reason);
    if (res.close) {
      owner_.net.report("closed " + peer_ + ": " + res.reason);
      close();
      return;
    }
    read();
  }

  void reject(size_t count, const std::string& reason) {
    owner_.malformed += count;
    owner_.inbox->push_malformed("tcp " + peer_, reason, count);
  }

  void close() {
    boost::system::error_code ignored;
    sock_.shutdown(tcp::socket::shutdown_both, ignored);
    sock_.close(ignored);
    timer_.cancel();
    --owner_.clients;
  }

  tcp_source::impl& owner_;
  tcp::socket sock_;
  asio::steady_timer timer_;
  frame_reader reader_;
  std::string peer_;
  std::vector<inbox_sample> samples_;
};

} // namespace

void tcp_source::impl::accept() {
  net.acceptor().async_accept(
    [this](const boost::system::error_code& ec, tcp::socket sock) {
      if (ec == asio::error::operation_aborted)
        return;
      if (!ec)
        std::make_shared<session>(*this, std::move(sock))->read();
      else
        net.report("cannot accept: " + ec.message());
      accept();
    });
}

caf::expected<std::unique_ptr<tcp_source>>
tcp_source::start(const net_address& listen,
                  std::shared_ptr<sample_inbox> inbox, options opts) {
  auto ptr = std::make_unique<impl>(std::move(inbox), opts);
  if (auto err = ptr->net.open(listen))
    return err;
  ptr->accept();
  ptr->net.run();
  return std::unique_ptr<tcp_source>{new tcp_source(std::move(ptr))};
}

tcp_source::tcp_source(std::unique_ptr<impl> ptr) : impl_(std::move(ptr)) {
  // nop
}

tcp_source::~tcp_source() {
  impl_->net.stop();
}

uint16_t tcp_source::port() const {
  return impl_->net.port();
}

endpoint_status tcp_source::status() const {
  endpoint_status st;
  st.kind = "tcp source";
  st.address = impl_->net.address();
  st.port = impl_->net.port();
  // The socket listens from `start` until the destructor.
  st.connected = true;
  st.ready = true;
  st.clients = impl_->clients.load();
  st.messages = impl_->received.load();
  st.dropped = impl_->malformed.load();
  st.last_error = impl_->net.last_error();
  return st;
}

} // namespace shoal
