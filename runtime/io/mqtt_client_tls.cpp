#include <mosquitto.h>

#include "runtime/core/errc.hpp"
#include "runtime/io/mqtt_client.hpp"

// The parts of mqtt_client that log in and talk TLS: applying the
// credentials and TLS files, and reading why a handshake failed from
// libmosquitto's log.

namespace shoal {

namespace {

caf::error setup_error(const net_address& broker, const std::string& what,
                       int rc) {
  return make_error(errc::io_error, "mqtt " + broker.to_string() + ": " + what
                                      + ": " + mosquitto_strerror(rc));
}

} // namespace

caf::error mqtt_client::apply(const mqtt_connection& conn) {
  if (!conn.username.empty()) {
    auto rc = mosquitto_username_pw_set(
      mosq_, conn.username.c_str(),
      conn.password.empty() ? nullptr : conn.password.c_str());
    if (rc != MOSQ_ERR_SUCCESS)
      return setup_error(broker_, "cannot set the username", rc);
  }
  if (!conn.tls)
    return caf::none;
  auto file = [](const std::string& x) {
    return x.empty() ? nullptr : x.c_str();
  };
  // Without a CA file the system's CAs vouch for the broker.
  auto rc = mosquitto_tls_set(mosq_, file(conn.ca),
                              conn.ca.empty() ? "/etc/ssl/certs" : nullptr,
                              file(conn.cert), file(conn.key), nullptr);
  if (rc != MOSQ_ERR_SUCCESS)
    return setup_error(broker_, "cannot use the TLS files (ca, cert, key)", rc);
  // 1 is SSL_VERIFY_PEER: the broker's chain must check out.
  rc = mosquitto_tls_opts_set(mosq_, 1, nullptr, nullptr);
  if (rc == MOSQ_ERR_SUCCESS)
    rc = mosquitto_tls_insecure_set(mosq_, conn.tls_insecure);
  if (rc != MOSQ_ERR_SUCCESS)
    return setup_error(broker_, "cannot set the TLS options", rc);
  return caf::none;
}

void mqtt_client::on_log_cb(mosquitto*, void* ptr, int level,
                            const char* text) {
  if (level != MOSQ_LOG_ERR || text == nullptr)
    return;
  auto* self = static_cast<mqtt_client*>(ptr);
  // libmosquitto explains a failed handshake in up to two lines: its own
  // ("Error: host name verification failed.") and OpenSSL's.
  std::string line{text};
  if (line.compare(0, 7, "Error: ") == 0)
    line.erase(0, 7);
  if (!line.empty() && line.back() == '.')
    line.pop_back();
  // Kept for the error that connect_loop reports when the attempt fails.
  std::lock_guard<std::mutex> guard{self->mtx_};
  auto& slot
    = line.compare(0, 7, "OpenSSL") == 0 ? self->ssl_error_ : self->lib_error_;
  slot = line;
}

std::string mqtt_client::lib_reason() const {
  if (lib_error_.empty() || ssl_error_.empty())
    return lib_error_ + ssl_error_;
  return lib_error_ + " (" + ssl_error_ + ")";
}

} // namespace shoal
