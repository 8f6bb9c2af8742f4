// A real MQTT broker for tests: Debian's mosquitto on a free loopback port.
//
// The constructor writes a config (`listener PORT 127.0.0.1`, anonymous
// access, no persistence, no logging) to a temp file, starts
// /usr/sbin/mosquitto on it and waits until the port accepts connections;
// the destructor stops it (SIGTERM, then waits for it). `stop` and `start`
// take it down and bring it back on the same port, for reconnect tests.
// Not thread-safe: for the test's main thread.

#pragma once

#include <cstdint>
#include <string>
#include <sys/types.h>

namespace shoal::test_support {

class mosquitto_broker {
public:
  mosquitto_broker();

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

/// A port on 127.0.0.1 that was free a moment ago.
uint16_t free_loopback_port();

/// Whether something accepts TCP connections on 127.0.0.1:`port`.
bool port_accepts(uint16_t port);

} // namespace shoal::test_support
