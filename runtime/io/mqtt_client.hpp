// An MQTT client on libmosquitto with its own network thread.
//
// The client connects in the background (the broker need not be up yet) and
// keeps reconnecting after a loss, with exponential back-off from 1 s capped
// at `max_backoff_s`. A network thread of ours connects and then runs
// libmosquitto's network loop (mosquitto_loop_forever), whose reconnect logic
// handles ordinary losses; when libmosquitto gives up (the very first
// connect failed, or a TLS handshake or the protocol failed, which 2.0
// deems fatal), the thread reports why and starts again after the back-off.
// `on_connect` runs on that thread after every successful connection, so a
// subscriber renews its subscriptions there (a clean session's broker forgets
// them on a loss; a persistent one's keeps them, and renewing them is
// harmless); `on_message` runs there for every message received, also for the
// messages a broker kept for a persistent session, which may come before the
// renewed subscriptions are acknowledged. `publish` may be called from any
// thread; it never blocks on the network and fails at once when the client is
// not connected. `queued` counts the messages published but not yet done with:
// libmosquitto holds each in memory until its publish callback (QoS 0: written
// to the socket; QoS 1: acknowledged), so a caller caps its memory by refusing
// to publish above a limit. A new connection restarts the count at zero, as
// libmosquitto discards the QoS 0 messages of a lost connection without a
// callback (QoS 1 ones it resends, whose late callbacks stop at zero). `ready`
// is what a subscriber's readiness needs: the broker accepted the connection
// and acknowledged every subscription made on it (a failed or refused one keeps
// it false until the next connection); a lost connection clears it until the
// renewed subscriptions are acknowledged. Connection state, readiness,
// reconnect count, queued count and last error are readable from any thread.
// With a `mqtt_connection` the client logs in with a username and password and
// talks TLS (the broker's certificate checked against `ca`, and its host name
// against the broker's unless `tls_insecure`). A refused connection (bad
// credentials: the broker's CONNACK code; a TLS failure: OpenSSL's reason)
// becomes the last error and the client keeps retrying with the same back-off.
// Each new problem, and the first connection after one, is also written to
// `stderr_log()` (the member's log), once, not on every retry; the password
// never is. The destructor disconnects and joins the thread. Not copyable or
// movable.

#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "caf/error.hpp"

#include "runtime/io/io_endpoint.hpp"
#include "runtime/io/mqtt_options.hpp"
#include "runtime/io/net_address.hpp"

struct mosquitto;
struct mosquitto_message;

namespace shoal {

class mqtt_client {
public:
  using connect_handler = std::function<void(mqtt_client&)>;
  using message_handler
    = std::function<void(std::string_view topic, std::string_view payload)>;

  static constexpr int max_backoff_s = 4;

  mqtt_client(net_address broker, connect_handler on_connect,
              message_handler on_message);

  mqtt_client(const mqtt_client&) = delete;

  mqtt_client& operator=(const mqtt_client&) = delete;

  ~mqtt_client();

  /// Starts connecting; returns an error if the client could not start.
  /// Without `persistent_id` the client has a unique id and a clean session;
  /// with it, it connects as that client id with clean_session = false, so
  /// the broker keeps its subscriptions and queues QoS 1 messages for it
  /// while it is away (only one client of an id may be connected: the
  /// broker drops the older one). `conn` holds the credentials and TLS
  /// settings; an error names what libmosquitto refused of them (a TLS
  /// file it cannot use).
  caf::error start(const std::string& persistent_id = {},
                   const mqtt_connection& conn = {});

  /// Subscribes to `filter` (call from `on_connect`); a failure is also
  /// kept as the last error.
  caf::error subscribe(const std::string& filter, int qos);

  /// Publishes `payload` on `topic`; fails when not connected. A success
  /// counts the message in `queued` until libmosquitto is done with it.
  caf::error publish(const std::string& topic, std::string_view payload,
                     int qos);

  bool connected() const {
    return connected_.load();
  }

  /// Connected, and the broker acknowledged (and granted) the
  /// subscriptions made since; false again from a lost connection until
  /// the subscriptions renewed after the next one are acknowledged.
  bool ready() const {
    return connected_.load() && pending_subacks_.load() == 0
           && !sub_failed_.load();
  }

  /// Messages published and still held by libmosquitto.
  uint64_t queued() const {
    return queued_.load();
  }

  /// Connections re-established after a loss.
  uint64_t reconnects() const {
    return reconnects_.load();
  }

  std::string last_error() const;

  /// The status of an endpoint on this client: `kind`, the broker and
  /// `detail` as its address, the connection figures, and the given counts.
  endpoint_status status(const char* kind, const std::string& detail,
                         uint64_t messages, uint64_t dropped) const;

  const net_address& broker() const {
    return broker_;
  }

private:
  static void on_connect_cb(mosquitto*, void* self, int rc);
  static void on_disconnect_cb(mosquitto*, void* self, int rc);
  static void on_message_cb(mosquitto*, void* self, const mosquitto_message*);
  static void on_publish_cb(mosquitto*, void* self, int mid);
  static void on_subscribe_cb(mosquitto*, void* self, int mid, int n,
                              const int* granted);
  static void on_log_cb(mosquitto*, void* self, int level, const char* text);

  /// Applies the credentials and TLS settings of `conn`.
  caf::error apply(const mqtt_connection& conn);

  /// Keeps `text` as the last error; logs it when `problem` (its text
  /// without the retry delay) differs from the last one logged.
  void set_error(std::string text, const std::string& problem = {});

  /// Logs that the client is connected, if a problem was logged before.
  void log_recovery();

  /// `lib_error_` and `ssl_error_` in one text; call with `mtx_` held.
  std::string lib_reason() const;

  /// Takes one message off `queued_`, never below zero.
  void unqueue();

  /// The network thread: connects with back-off, runs the network loop,
  /// and starts again when libmosquitto gives up.
  void connect_loop();

  net_address broker_;
  /// Set by `start`, before any thread of the client runs.
  std::string client_id_;
  connect_handler on_connect_;
  message_handler on_message_;
  mosquitto* mosq_ = nullptr;
  std::thread connector_;
  /// Signals `stopping_` to the network thread and its leaving the loop
  /// (`in_loop_` false) to the destructor.
  std::condition_variable stop_cv_;
  bool stopping_ = false; // guarded by mtx_
  /// The network thread is in (or about to enter) mosquitto_loop_forever.
  bool in_loop_ = false; // guarded by mtx_
  std::atomic<bool> connected_{false};
  std::atomic<bool> ever_connected_{false};
  std::atomic<uint64_t> reconnects_{0};
  std::atomic<int> pending_subacks_{0};
  /// A subscription of the current connection failed or was refused.
  std::atomic<bool> sub_failed_{false};
  std::atomic<uint64_t> queued_{0};
  /// The last problems libmosquitto logged as errors, its own and
  /// OpenSSL's (why a handshake failed), for the last error.
  std::string lib_error_; // guarded by mtx_
  std::string ssl_error_; // guarded by mtx_
  /// The last problem written to the log; empty after a recovery.
  std::string logged_problem_; // guarded by mtx_
  /// The broker refused the last CONNECT: the disconnect that follows keeps
  /// the refusal as the last error.
  std::atomic<bool> refused_{false};
  mutable std::mutex mtx_;
  std::string last_error_;
};

} // namespace shoal
