#include "actors/net/member_transport.hpp"

#include <openssl/err.h>
#include <utility>

#include "caf/detail/socket_guard.hpp"
#include "caf/io/basp_broker.hpp"
#include "caf/io/middleman.hpp"
#include "caf/io/middleman_actor_impl.hpp"
#include "caf/io/network/default_multiplexer.hpp"
#include "caf/io/network/doorman_impl.hpp"
#include "caf/io/network/stream_impl.hpp"
#include "caf/openssl/session.hpp"
#include "caf/policy/tcp.hpp"

#include "actors/net/tcp_connect.hpp"
#include "runtime/cluster/basp_guard.hpp"
#include "runtime/core/errc.hpp"

namespace shoal {

namespace {

using caf::io::network::native_socket;
using caf::io::network::rw_state;
using mpx_type = caf::io::network::default_multiplexer;

/// What every connection of one transport shares.
struct transport_env {
  bool tls = false;
  std::shared_ptr<transport_stats> stats;
  std::function<void(const std::string&)> log;

  void tell(const std::string& text) const {
    if (log)
      log(text);
  }

  void refuse(const std::string& peer, const std::string& why) const {
    stats->refused.fetch_add(1, std::memory_order_relaxed);
    tell("refused connection from " + peer + ": " + why);
  }
};

using env_ptr = std::shared_ptr<const transport_env>;

constexpr const char* tls_failed
  = "TLS handshake failed (no certificate signed by the cluster's CA, or no "
    "TLS)";

std::string peer_of(native_socket fd) {
  auto host = caf::io::network::remote_addr_of_fd(fd);
  auto port = caf::io::network::remote_port_of_fd(fd);
  if (!host || !port)
    return "an unknown peer";
  return *host + ":" + std::to_string(*port);
}

/// CAF's OpenSSL session for `fd`, or null: CAF throws when it cannot
/// read the files, which must not take the network thread down.
caf::openssl::session_ptr tls_session(caf::actor_system& sys, native_socket fd,
                                      bool accepted) {
  ERR_clear_error();
  try {
    return caf::openssl::make_session(sys, fd, accepted);
  } catch (const std::exception&) {
    return nullptr;
  }
}

/// Reads and writes one connection: plain TCP or TLS, every byte read
/// checked by a basp_guard before CAF sees it.
class guarded_policy {
public:
  guarded_policy(env_ptr env, caf::openssl::session_ptr tls, bool accepted,
                 std::string peer)
    : env_(std::move(env)), tls_(std::move(tls)), accepted_(accepted),
      peer_(std::move(peer)) {
    // nop
  }

  rw_state read_some(size_t& result, native_socket fd, void* buf, size_t len) {
    clear_tls_errors();
    auto st = tls_ ? tls_->read_some(result, fd, buf, len)
                   : caf::policy::tcp::read_some(result, fd, buf, len);
    if (st == rw_state::failure) {
      closed_before_start();
      return st;
    }
    if (result > 0) {
      started_ = true;
      auto why = guard_.feed(static_cast<const char*>(buf), result);
      if (!why.empty()) {
        result = 0;
        if (accepted_)
          env_->refuse(peer_, why);
        else
          env_->tell("closed connection to " + peer_ + ": " + why);
        return rw_state::failure;
      }
    }
    return st;
  }

  rw_state write_some(size_t& result, native_socket fd, const void* buf,
                      size_t len) {
    clear_tls_errors();
    auto st = tls_ ? tls_->write_some(result, fd, buf, len)
                   : caf::policy::tcp::write_some(result, fd, buf, len);
    if (st == rw_state::failure)
      closed_before_start();
    else if (result > 0)
      started_ = true;
    return st;
  }

  bool must_read_more(native_socket fd, size_t threshold) {
    return tls_ ? tls_->must_read_more(fd, threshold) : false;
  }

private:
  /// OpenSSL reports an error of one connection through a queue per
  /// thread, and `SSL_get_error` blames whatever is left there on the next
  /// call. CAF only empties it when it logs, so one refused handshake
  /// would fail the next healthy connection on the network thread.
  void clear_tls_errors() {
    if (tls_)
      ERR_clear_error();
  }

  /// A TLS connection that fails before any byte passed failed its
  /// handshake.
  void closed_before_start() {
    if (!tls_ || started_ || told_)
      return;
    told_ = true;
    if (accepted_)
      env_->refuse(peer_, tls_failed);
    else
      env_->tell("cannot connect to " + peer_ + ": " + tls_failed);
  }

  env_ptr env_;
  caf::openssl::session_ptr tls_;
  bool accepted_;
  std::string peer_;
  basp_guard guard_;
  bool started_ = false;
  bool told_ = false;
};

class guarded_scribe final : public caf::io::scribe {
public:
  guarded_scribe(mpx_type& mpx, native_socket fd, bool tls,
                 guarded_policy policy)
    : scribe(caf::io::network::conn_hdl_from_socket(fd)), tls_(tls),
      stream_(mpx, fd, std::move(policy)) {
    // nop
  }

  void configure_read(caf::io::receive_policy::config config) override {
    stream_.configure_read(config);
    if (!launched_) {
      launched_ = true;
      stream_.start(this);
      // TLS needs a write event to drive its handshake.
      if (tls_)
        stream_.force_empty_write(this);
    }
  }

  void ack_writes(bool enable) override {
    stream_.ack_writes(enable);
  }

  std::vector<char>& wr_buf() override {
    return stream_.wr_buf();
  }

  std::vector<char>& rd_buf() override {
    return stream_.rd_buf();
  }

  void graceful_shutdown() override {
    stream_.graceful_shutdown();
    detach(&stream_.backend(), false);
  }

  void flush() override {
    stream_.flush(this);
  }

  std::string addr() const override {
    auto x = caf::io::network::remote_addr_of_fd(stream_.fd());
    return x ? *x : std::string{};
  }

  uint16_t port() const override {
    auto x = caf::io::network::remote_port_of_fd(stream_.fd());
    return x ? *x : 0;
  }

  void add_to_loop() override {
    stream_.activate(this);
  }

  void remove_from_loop() override {
    stream_.passivate();
  }

private:
  bool tls_;
  bool launched_ = false;
  caf::io::network::stream_impl<guarded_policy> stream_;
};

class guarded_doorman final : public caf::io::network::doorman_impl {
public:
  guarded_doorman(mpx_type& mpx, native_socket fd, env_ptr env)
    : doorman_impl(mpx, fd), env_(std::move(env)) {
    // nop
  }

  bool new_connection() override {
    if (detached())
      return false;
    auto& mpx = acceptor_.backend();
    auto fd = acceptor_.accepted_socket();
    caf::detail::socket_guard guard{fd};
    caf::io::network::nonblocking(fd, true);
    auto peer = peer_of(fd);
    caf::openssl::session_ptr session;
    if (env_->tls) {
      session = tls_session(parent()->system(), fd, true);
      if (!session) {
        env_->refuse(peer, tls_failed);
        return false;
      }
    }
    auto scribe = caf::make_counted<guarded_scribe>(
      mpx, fd, env_->tls, guarded_policy{env_, std::move(session), true, peer});
    guard.release();
    auto hdl = scribe->hdl();
    parent()->add_scribe(std::move(scribe));
    return doorman::new_connection(&mpx, hdl);
  }

private:
  env_ptr env_;
};

class transport_actor final : public caf::io::middleman_actor_impl {
public:
  transport_actor(caf::actor_config& cfg, caf::actor broker, env_ptr env,
                  std::chrono::milliseconds connect_timeout)
    : middleman_actor_impl(cfg, std::move(broker)), env_(std::move(env)),
      connect_timeout_(connect_timeout) {
    // nop
  }

  const char* name() const override {
    return "shoal.transport";
  }

protected:
  caf::expected<caf::io::scribe_ptr> connect(const std::string& host,
                                             uint16_t port) override {
    auto fd = connect_tcp(host, port, connect_timeout_);
    if (!fd)
      return std::move(fd.error());
    caf::detail::socket_guard guard{*fd};
    auto peer = host + ":" + std::to_string(port);
    caf::openssl::session_ptr session;
    if (env_->tls) {
      session = tls_session(system(), *fd, false);
      if (!session) {
        env_->tell("cannot connect to " + peer + ": " + tls_failed);
        return make_error(errc::io_error,
                          "TLS handshake with " + peer + " failed");
      }
    }
    auto scribe = caf::make_counted<guarded_scribe>(
      mpx(), *fd, env_->tls,
      guarded_policy{env_, std::move(session), false, peer});
    guard.release();
    return caf::io::scribe_ptr{std::move(scribe)};
  }

  caf::expected<caf::io::doorman_ptr> open(uint16_t port, const char* addr,
                                           bool reuse) override {
    auto fd = caf::io::network::new_tcp_acceptor_impl(port, addr, reuse);
    if (!fd)
      return std::move(fd.error());
    return caf::io::doorman_ptr{
      caf::make_counted<guarded_doorman>(mpx(), *fd, env_)};
  }

private:
  mpx_type& mpx() {
    return static_cast<mpx_type&>(system().middleman().backend());
  }

  env_ptr env_;
  std::chrono::milliseconds connect_timeout_;
};

} // namespace

member_transport::member_transport(caf::actor_system& sys,
                                   transport_options opts)
  : sys_(sys), stats_(opts.stats) {
  if (!stats_)
    stats_ = std::make_shared<transport_stats>();
  auto env = std::make_shared<transport_env>();
  env->tls = opts.tls;
  env->stats = stats_;
  env->log = std::move(opts.log);
  broker_
    = sys.middleman().named_broker<caf::io::basp_broker>(caf::atom("BASP"));
  actor_ = sys.spawn<transport_actor, caf::detached + caf::hidden>(
    broker_, std::move(env), opts.connect_timeout);
}

member_transport::~member_transport() {
  caf::scoped_actor self{sys_, true};
  self->send_exit(actor_, caf::exit_reason::kill);
  self->wait_for(actor_);
}

caf::expected<uint16_t> member_transport::publish(caf::scoped_actor& self,
                                                  const caf::actor& whom,
                                                  const net_address& at) {
  caf::expected<uint16_t> res{uint16_t{0}};
  self
    ->request(actor_, std::chrono::seconds(10), caf::publish_atom_v, at.port,
              caf::actor_cast<caf::strong_actor_ptr>(whom),
              std::set<std::string>{}, at.host, true)
    .receive(
      [&](uint16_t port) {
        res = port;
      },
      [&](caf::error& err) {
        res = std::move(err);
      });
  return res;
}

} // namespace shoal
