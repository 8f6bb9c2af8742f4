// A real MQTT broker for tests: Debian's mosquitto on a free loopback port.
//
// The constructor writes a config (`listener PORT 127.0.0.1`, anonymous
// access, no persistence, no logging) to a temp file, starts
// /usr/sbin/mosquitto on it and waits until the port accepts connections;
// `mosquitto_options` turn on a password file (anonymous access off) and a
// TLS listener instead;
// the destructor stops it (SIGTERM, then waits for it). `stop` and `start`
// take it down and bring it back on the same port, for reconnect tests.
// Not thread-safe: for the test's main thread.

#pragma once

#include <cstdint>
#include <string>
#include <sys/types.h>

namespace shoal::test_support {

/// What a test broker asks of its clients; empty fields are left out.
struct mosquitto_options {
  /// The port to listen on; 0: a free one.
  uint16_t port = 0;
  /// A file made by `mosquitto_passwd`: only its users may connect.
  std::string password_file;
  /// TLS on the listener: the CA that signed the clients' certificates, the
  /// broker's certificate and key.
  std::string cafile;
  std::string certfile;
  std::string keyfile;
  /// With TLS: clients must present a certificate signed by `cafile`.
  bool require_certificate = false;
};

class mosquitto_broker {
public:
  mosquitto_broker();

  explicit mosquitto_broker(const mosquitto_options& opts);

  mosquitto_broker(const mosquitto_broker&) = delete;

  mosquitto_broker& operator=(const mosquitto_broker&) = delete;

  ~mosquitto_broker();

  /// Starts the broker if it is not running; false if it did not come up
  /// within 10 s.
  bool start();

  /// Stops the broker and waits until it exited.
  void stop();

  bool running() const {
    return pid_ > 0;
  }

  /// The broker's process id while it runs (to stall it with SIGSTOP).
  pid_t pid() const {
    return pid_;
  }

  uint16_t port() const {
    return port_;
  }

  /// "mqtt://127.0.0.1:PORT".
  std::string url() const;

private:
  uint16_t port_ = 0;
  std::string conf_;
  pid_t pid_ = -1;
};

/// Writes a mosquitto password file for `user` and `password` in a temp
/// folder with `mosquitto_passwd -b`; returns its path.
std::string make_password_file(const std::string& user,
                               const std::string& password);

/// A port on 127.0.0.1 that was free a moment ago, below the kernel's
/// range of ephemeral ports (so that no test's outgoing connection takes
/// it before the server that is given it binds it), and not handed out
/// before in this process.
uint16_t free_loopback_port();

/// Whether something accepts TCP connections on 127.0.0.1:`port`.
bool port_accepts(uint16_t port);

} // namespace shoal::test_support
