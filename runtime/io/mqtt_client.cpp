#include "runtime/io/mqtt_client.hpp"

#include <algorithm>
#include <mosquitto.h>
#include <mutex>
#include <unistd.h>

#include "runtime/core/errc.hpp"
#include "runtime/core/log_sink.hpp"

namespace shoal {

namespace {

constexpr int keepalive_s = 30;

void init_library() {
  static std::once_flag once;
  std::call_once(once, [] {
    mosquitto_lib_init();
  });
}

/// A client id unique in this process and across processes on this host.
std::string make_client_id() {
  static std::atomic<uint64_t> next{0};
  return "shoal-" + std::to_string(::getpid()) + "-"
         + std::to_string(next.fetch_add(1));
}

caf::error mqtt_error(const net_address& broker, const std::string& what,
                      int rc) {
  return make_error(errc::io_error, "mqtt " + broker.to_string() + ": " + what
                                      + ": " + mosquitto_strerror(rc));
}

} // namespace

mqtt_client::mqtt_client(net_address broker, connect_handler on_connect,
                         message_handler on_message)
  : broker_(std::move(broker)), on_connect_(std::move(on_connect)),
    on_message_(std::move(on_message)) {
  init_library();
}

mqtt_client::~mqtt_client() {
  if (mosq_ == nullptr)
    return;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    stopping_ = true;
  }
  stop_cv_.notify_all();
  // Disconnecting ends mosquitto_loop_forever, also its reconnect wait. A
  // disconnect that lands while the loop reconnects is lost (reconnecting
  // sets the state that disconnecting set; seen as a test that hung in
  // this destructor while a refused client retried), so it is repeated
  // until the thread left the loop. Out of the loop the thread sees
  // `stopping_` before it connects or loops again.
  for (;;) {
    {
      std::lock_guard<std::mutex> guard{mtx_};
      if (!in_loop_)
        break;
    }
    mosquitto_disconnect(mosq_);
    std::unique_lock<std::mutex> guard{mtx_};
    stop_cv_.wait_for(guard, std::chrono::milliseconds(50), [this] {
      return !in_loop_;
    });
  }
  if (connector_.joinable())
    connector_.join();
  mosquitto_destroy(mosq_);
}

caf::error mqtt_client::start(const std::string& persistent_id,
                              const mqtt_connection& conn) {
  auto clean = persistent_id.empty();
  client_id_ = clean ? make_client_id() : persistent_id;
  mosq_ = mosquitto_new(client_id_.c_str(), clean, this);
  if (mosq_ == nullptr)
    return make_error(errc::io_error, "mqtt: cannot create a client");
  if (auto err = apply(conn))
    return err;
  mosquitto_int_option(mosq_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
  mosquitto_connect_callback_set(mosq_, &on_connect_cb);
  mosquitto_disconnect_callback_set(mosq_, &on_disconnect_cb);
  mosquitto_message_callback_set(mosq_, &on_message_cb);
  mosquitto_subscribe_callback_set(mosq_, &on_subscribe_cb);
  mosquitto_publish_callback_set(mosq_, &on_publish_cb);
  mosquitto_log_callback_set(mosq_, &on_log_cb);
  // Our connector thread runs the network loop (mosquitto_loop_forever),
  // so that it can start it again when libmosquitto gives up.
  mosquitto_threaded_set(mosq_, true);
  mosquitto_reconnect_delay_set(mosq_, 1, max_backoff_s, true);
  connector_ = std::thread{[this] {
    connect_loop();
  }};
  return caf::none;
}

void mqtt_client::connect_loop() {
  int delay_s = 1;
  for (;;) {
    {
      std::lock_guard<std::mutex> guard{mtx_};
      lib_error_.clear();
      ssl_error_.clear();
    }
    auto rc = mosquitto_connect(mosq_, broker_.host.c_str(), broker_.port,
                                keepalive_s);
    auto what = "cannot connect";
    if (rc == MOSQ_ERR_SUCCESS) {
      {
        std::lock_guard<std::mutex> guard{mtx_};
        if (stopping_)
          return;
        in_loop_ = true;
      }
      auto connects = reconnects_.load() + (ever_connected_ ? 1 : 0);
      // Reconnects after ordinary losses with the back-off set in `start`;
      // returns on what libmosquitto deems fatal (a failed TLS handshake,
      // a protocol error), after which it would never try again.
      rc = mosquitto_loop_forever(mosq_, -1, 1);
      {
        std::lock_guard<std::mutex> guard{mtx_};
        in_loop_ = false;
        stop_cv_.notify_all();
        if (stopping_)
          return;
      }
      if (reconnects_.load() + (ever_connected_ ? 1 : 0) != connects)
        delay_s = 1;
      what = "connection failed";
    }
    auto problem = describe(mqtt_error(broker_, what, rc));
    {
      std::lock_guard<std::mutex> guard{mtx_};
      if (!lib_error_.empty() || !ssl_error_.empty())
        problem += " (" + lib_reason() + ")";
    }
    set_error(problem + "; retrying in " + std::to_string(delay_s) + " s",
              problem);
    std::unique_lock<std::mutex> guard{mtx_};
    if (stop_cv_.wait_for(guard, std::chrono::seconds(delay_s), [this] {
          return stopping_;
        }))
      return;
    delay_s = std::min(delay_s * 2, max_backoff_s);
  }
}

caf::error mqtt_client::subscribe(const std::string& filter, int qos) {
  ++pending_subacks_;
  auto rc = mosquitto_subscribe(mosq_, nullptr, filter.c_str(), qos);
  if (rc == MOSQ_ERR_SUCCESS)
    return caf::none;
  --pending_subacks_;
  sub_failed_ = true;
  auto err = mqtt_error(broker_, "cannot subscribe to '" + filter + "'", rc);
  set_error(describe(err));
  return err;
}

caf::error mqtt_client::publish(const std::string& topic,
                                std::string_view payload, int qos) {
  if (!connected_)
    return make_error(errc::io_error,
                      "mqtt " + broker_.to_string() + ": not connected");
  // Counted before the call: the network thread's callback may come first.
  ++queued_;
  auto rc = mosquitto_publish(mosq_, nullptr, topic.c_str(),
                              static_cast<int>(payload.size()), payload.data(),
                              qos, false);
  if (rc != MOSQ_ERR_SUCCESS) {
    unqueue();
    return mqtt_error(broker_, "cannot publish", rc);
  }
  return caf::none;
}

std::string mqtt_client::last_error() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return last_error_;
}

void mqtt_client::set_error(std::string text, const std::string& problem) {
  bool log = false;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    const auto& key = problem.empty() ? text : problem;
    if (key != logged_problem_) {
      logged_problem_ = key;
      log = true;
    }
    last_error_ = text;
  }
  // Once per problem: a broker that refuses us would otherwise fill the
  // log every few seconds.
  if (log)
    logf(stderr_log(), log_level::warning, "mqtt client %s%s: %s",
         client_id_.c_str(),
         text.compare(0, 5, "mqtt ") == 0
           ? ""
           : (" (" + broker_.to_string() + ")").c_str(),
         text.c_str());
}

void mqtt_client::log_recovery() {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (logged_problem_.empty())
      return;
    logged_problem_.clear();
  }
  logf(stderr_log(), log_level::info, "mqtt client %s (%s): connected",
       client_id_.c_str(), broker_.to_string().c_str());
}

void mqtt_client::on_connect_cb(mosquitto*, void* ptr, int rc) {
  auto* self = static_cast<mqtt_client*>(ptr);
  if (rc != 0) {
    // Bad credentials or a client id the broker does not accept: it says
    // which in the CONNACK code. The network thread retries.
    self->refused_ = true;
    std::string why = mosquitto_connack_string(rc);
    constexpr std::string_view prefix = "Connection Refused: ";
    if (why.compare(0, prefix.size(), prefix) == 0)
      why.erase(0, prefix.size());
    if (!why.empty() && why.back() == '.')
      why.pop_back();
    self->set_error("mqtt " + self->broker_.to_string()
                    + ": connection refused by the broker: " + why
                    + " (retrying with back-off up to "
                    + std::to_string(max_backoff_s) + " s)");
    return;
  }
  self->refused_ = false;
  {
    std::lock_guard<std::mutex> guard{self->mtx_};
    self->lib_error_.clear();
    self->ssl_error_.clear();
  }
  self->log_recovery();
  if (self->ever_connected_.exchange(true))
    ++self->reconnects_;
  self->pending_subacks_ = 0;
  self->sub_failed_ = false;
  self->queued_ = 0;
  if (self->on_connect_)
    self->on_connect_(*self);
  self->connected_ = true;
}

void mqtt_client::on_disconnect_cb(mosquitto*, void* ptr, int rc) {
  auto* self = static_cast<mqtt_client*>(ptr);
  // A refused login or a failed handshake was never a connection; its
  // reason stays the last error.
  auto was_connected = self->connected_.exchange(false);
  if (rc != 0 && was_connected && !self->refused_)
    self->set_error("connection lost; reconnecting with back-off up to "
                    + std::to_string(max_backoff_s) + " s");
}

void mqtt_client::unqueue() {
  // Stops at zero: a callback for a message of a lost connection may come
  // after the new connection restarted the count.
  auto n = queued_.load();
  while (n > 0 && !queued_.compare_exchange_weak(n, n - 1)) {
    // n was reloaded; try again
  }
}

void mqtt_client::on_publish_cb(mosquitto*, void* ptr, int) {
  static_cast<mqtt_client*>(ptr)->unqueue();
}

void mqtt_client::on_subscribe_cb(mosquitto*, void* ptr, int, int n,
                                  const int* granted) {
  auto* self = static_cast<mqtt_client*>(ptr);
  // 0x80 in a SUBACK: the broker refused that filter (MQTT 3.1.1, 3.9.3).
  for (int i = 0; i < n && granted != nullptr; ++i) {
    if (granted[i] == 0x80) {
      self->sub_failed_ = true;
      self->set_error("mqtt " + self->broker_.to_string()
                      + ": the broker refused a subscription");
    }
  }
  if (self->pending_subacks_ > 0)
    --self->pending_subacks_;
}

void mqtt_client::on_message_cb(mosquitto*, void* ptr,
                                const mosquitto_message* msg) {
  auto* self = static_cast<mqtt_client*>(ptr);
  if (!self->on_message_)
    return;
  std::string_view payload;
  if (msg->payload != nullptr && msg->payloadlen > 0)
    payload = std::string_view{static_cast<const char*>(msg->payload),
                               static_cast<size_t>(msg->payloadlen)};
  self->on_message_(msg->topic, payload);
}

endpoint_status mqtt_client::status(const char* kind, const std::string& detail,
                                    uint64_t messages, uint64_t dropped) const {
  endpoint_status st;
  st.kind = kind;
  st.address = "mqtt://" + broker().to_string() + " " + detail;
  st.port = broker().port;
  st.connected = connected();
  st.ready = ready();
  st.reconnects = reconnects();
  st.messages = messages;
  st.dropped = dropped;
  st.last_error = last_error();
  return st;
}

} // namespace shoal
