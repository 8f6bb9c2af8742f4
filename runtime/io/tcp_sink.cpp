#include "runtime/io/tcp_sink.hpp"

#include <algorithm>
#include <atomic>
#include <msgpack.hpp>
#include <vector>

#include "runtime/io/tcp_listener.hpp"

namespace shoal {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

/// One connected subscriber. `queued`, `writing` and `open` are guarded by
/// the sink's mutex; the socket and `inflight` belong to the network thread.
struct subscriber {
  explicit subscriber(tcp::socket s)
    : sock(std::move(s)), peer(peer_name(sock)) {
    // nop
  }

  tcp::socket sock;
  std::string peer;
  std::string queued;
  std::string inflight;
  bool writing = false;
  bool open = true;
  char ignored[256];
};

using subscriber_ptr = std::shared_ptr<subscriber>;

/// A msgpack output stream appending to a std::string.
struct string_stream {
  std::string* out;
  void write(const char* data, size_t n) {
    out->append(data, n);
  }
};

} // namespace

struct tcp_sink::impl {
  explicit impl(options o) : net("tcp sink"), opts(o) {
    // nop
  }

  void accept();
  void start_write(const subscriber_ptr& sub);
  void watch(const subscriber_ptr& sub);
  /// Closes `sub` on the network thread; the caller holds `mtx`.
  void drop(const subscriber_ptr& sub);

  tcp_listener net;
  options opts;
  mutable std::mutex mtx;
  std::vector<subscriber_ptr> subs;
  std::atomic<uint64_t> sent{0};
  std::atomic<uint64_t> dropped{0};
};

void tcp_sink::impl::accept() {
  net.acceptor().async_accept(
    [this](const boost::system::error_code& ec, tcp::socket sock) {
      if (ec == asio::error::operation_aborted)
        return;
      if (!ec) {
        boost::system::error_code ignored;
        sock.set_option(tcp::no_delay(true), ignored);
        auto sub = std::make_shared<subscriber>(std::move(sock));
        {
          std::lock_guard<std::mutex> guard{mtx};
          subs.push_back(sub);
        }
        watch(sub);
      } else {
        net.report("cannot accept: " + ec.message());
      }
      accept();
    });
}

void tcp_sink::impl::watch(const subscriber_ptr& sub) {
  // Reads only to learn that the subscriber went away.
  sub->sock.async_read_some(
    asio::buffer(sub->ignored),
    [this, sub](const boost::system::error_code& ec, size_t) {
      if (!ec) {
        watch(sub);
        return;
      }
      std::lock_guard<std::mutex> guard{mtx};
      if (sub->open)
        drop(sub);
    });
}

void tcp_sink::impl::drop(const subscriber_ptr& sub) {
  sub->open = false;
  subs.erase(std::remove(subs.begin(), subs.end(), sub), subs.end());
  asio::post(net.io(), [sub] {
    boost::system::error_code ignored;
    sub->sock.shutdown(tcp::socket::shutdown_both, ignored);
    sub->sock.close(ignored);
  });
}

void tcp_sink::impl::start_write(const subscriber_ptr& sub) {
  {
    std::lock_guard<std::mutex> guard{mtx};
    if (!sub->open || sub->queued.empty()) {
      sub->writing = false;
      return;
    }
    sub->inflight.clear();
    sub->inflight.swap(sub->queued);
  }
  asio::async_write(sub->sock, asio::buffer(sub->inflight),
                    [this, sub](const boost::system::error_code& ec, size_t) {
                      if (!ec) {
                        start_write(sub);
                        return;
                      }
                      std::lock_guard<std::mutex> guard{mtx};
                      sub->writing = false;
                      if (sub->open)
                        drop(sub);
                    });
}

caf::expected<std::unique_ptr<tcp_sink>>
tcp_sink::start(const net_address& listen, options opts) {
  auto ptr = std::make_unique<impl>(opts);
  if (auto err = ptr->net.open(listen))
    return err;
  ptr->accept();
  ptr->net.run();
  return std::unique_ptr<tcp_sink>{new tcp_sink(std::move(ptr))};
}

tcp_sink::tcp_sink(std::unique_ptr<impl> ptr) : impl_(std::move(ptr)) {
  // nop
}

tcp_sink::~tcp_sink() {
  impl_->net.stop();
}

void tcp_sink::write(const std::string& node, point p) {
  frame_.clear();
  string_stream out{&frame_};
  msgpack::packer<string_stream> pk{out};
  pk.pack_array(3);
  pk.pack(node);
  pk.pack(p.ts);
  pk.pack(p.value);
  auto& st = *impl_;
  std::lock_guard<std::mutex> guard{st.mtx};
  if (st.subs.empty())
    return;
  bool delivered = false;
  std::vector<subscriber_ptr> slow; // allocates only when one is too slow
  for (auto& sub : st.subs) {
    if (sub->queued.size() + frame_.size() > st.opts.max_queue_bytes) {
      slow.push_back(sub);
      continue;
    }
    sub->queued += frame_;
    delivered = true;
    if (!sub->writing) {
      sub->writing = true;
      asio::post(st.net.io(), [&st, sub] {
        st.start_write(sub);
      });
    }
  }
  for (auto& sub : slow) {
    ++st.dropped;
    st.drop(sub);
    st.net.report("dropped subscriber " + sub->peer + ": more than "
                  + std::to_string(st.opts.max_queue_bytes)
                  + " bytes queued (too slow)");
  }
  if (delivered)
    ++st.sent;
}

caf::error tcp_sink::flush() {
  // The network thread sends continuously; there is no buffer of ours here.
  return caf::none;
}

endpoint_status tcp_sink::status() const {
  endpoint_status st;
  st.kind = "tcp sink";
  st.address = impl_->net.address();
  st.port = port();
  st.connected = true;
  st.ready = true;
  st.clients = subscribers();
  st.messages = impl_->sent.load();
  st.dropped = impl_->dropped.load();
  st.last_error = impl_->net.last_error();
  return st;
}

uint16_t tcp_sink::port() const {
  return impl_->net.port();
}

size_t tcp_sink::subscribers() const {
  std::lock_guard<std::mutex> guard{impl_->mtx};
  return impl_->subs.size();
}

uint64_t tcp_sink::dropped() const {
  return impl_->dropped.load();
}

} // namespace shoal
