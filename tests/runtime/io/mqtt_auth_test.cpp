// MQTT sources and sinks against a real mosquitto that wants a username and
// password, or TLS with client certificates: the right credentials get
// samples through, wrong ones are refused, reported in status, and retried.

#include <csignal>
#include <filesystem>
#include <gtest/gtest.h>
#include <mutex>

#include "runtime/core/errc.hpp"
#include "runtime/io/mqtt_sink.hpp"
#include "runtime/io/mqtt_source.hpp"
#include "tests/support/io_clients.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_files.hpp"
#include "tests/support/test_ca.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

/// A subscriber that records the payloads it receives.
class recorder {
public:
  recorder(uint16_t port, const mqtt_connection& conn, std::string filter)
    : filter_(std::move(filter)),
      client_(
        net_address{"127.0.0.1", port},
        [this](mqtt_client& c) {
          if (!filter_.empty())
            static_cast<void>(c.subscribe(filter_, 1));
        },
        [this](std::string_view topic, std::string_view payload) {
          std::lock_guard<std::mutex> guard{mtx_};
          got_.push_back(std::string{topic} + " " + std::string{payload});
        }) {
    EXPECT_FALSE(client_.start({}, conn));
  }

  mqtt_client& client() {
    return client_;
  }

  std::vector<std::string> got() {
    std::lock_guard<std::mutex> guard{mtx_};
    return got_;
  }

private:
  std::string filter_;
  std::mutex mtx_;
  std::vector<std::string> got_;
  mqtt_client client_;
};

mqtt_connection login(const std::string& user, const std::string& pw) {
  mqtt_connection conn;
  conn.username = user;
  conn.password = pw;
  return conn;
}

mqtt_connection tls(const test_identity& id, bool client_cert = true) {
  mqtt_connection conn;
  conn.tls = true;
  conn.ca = id.ca;
  if (client_cert) {
    conn.cert = id.cert;
    conn.key = id.key;
  }
  return conn;
}

class MqttAuth : public temp_dir_test, public inbox_collector {
protected:
  /// A folder for a CA under the test's directory.
  std::string ca_dir(const std::string& name) const {
    return (dir_ / name).string();
  }

  std::unique_ptr<mqtt_source>
  start_source(uint16_t port, const mqtt_connection& conn,
               std::vector<std::string> topics = {"plant/#"}) {
    source_spec spec;
    spec.broker = net_address{"127.0.0.1", port};
    spec.topics = std::move(topics);
    spec.session = mqtt_session::clean;
    spec.connection = conn;
    auto src = mqtt_source::start(spec, inbox_);
    EXPECT_TRUE(src) << describe(src.error());
    return src ? std::move(*src) : nullptr;
  }

  std::unique_ptr<mqtt_sink> start_sink(uint16_t port,
                                        const mqtt_connection& conn) {
    sink_spec spec;
    spec.broker = net_address{"127.0.0.1", port};
    spec.topic_prefix = "plant";
    spec.connection = conn;
    auto sink = mqtt_sink::start(spec);
    EXPECT_TRUE(sink) << describe(sink.error());
    return sink ? std::move(*sink) : nullptr;
  }

  /// Publishes through a sink (its client and credentials) until the source
  /// has `n` samples.
  bool sink_to_source(mqtt_sink& sink, size_t n) {
    if (!wait_until([&] {
          return sink.connected();
        }))
      return false;
    for (int i = 0; i < 100 && samples_.size() < n; ++i) {
      sink.write("p1.temp", point{1000 + i, 20.0 + i});
      wait_until(
        [&] {
          collect();
          return samples_.size() >= n;
        },
        std::chrono::milliseconds(100));
    }
    return samples_.size() >= n;
  }
};

} // namespace

TEST_F(MqttAuth, PasswordRightIsServedWrongIsRefusedAndRetried) {
  auto pw = make_password_file("plant", "s3cret");
  mosquitto_options opts;
  opts.password_file = pw;
  mosquitto_broker broker{opts};
  ASSERT_TRUE(broker.running());
  auto src = start_source(broker.port(), login("plant", "s3cret"));
  ASSERT_TRUE(wait_until([&] {
    return src->ready();
  }))
    << src->status().last_error;
  auto sink = start_sink(broker.port(), login("plant", "s3cret"));
  ASSERT_TRUE(sink_to_source(*sink, 1)) << sink->status().last_error;
  EXPECT_EQ(samples_[0].sensor, "plant.p1.temp");
  // A wrong password and no login at all are refused, and say so.
  auto wrong = start_source(broker.port(), login("plant", "guess"));
  auto anonymous = start_source(broker.port(), mqtt_connection{});
  for (auto* x : {wrong.get(), anonymous.get()}) {
    ASSERT_TRUE(wait_until([&] {
      return !x->status().last_error.empty();
    }));
    auto st = x->status();
    EXPECT_FALSE(st.connected);
    EXPECT_EQ(st.last_error,
              "mqtt 127.0.0.1:" + std::to_string(broker.port())
                + ": connection refused by the broker: not authorised "
                  "(retrying with back-off up to 4 s)");
    EXPECT_EQ(st.last_error.find("guess"), std::string::npos);
  }
  // The refused source keeps trying: once the broker takes its password
  // (mosquitto rereads its password file on SIGHUP) it connects.
  auto r = run_command("mosquitto_passwd -b " + pw + " plant guess");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  ::kill(broker.pid(), SIGHUP);
  EXPECT_TRUE(wait_until(
    [&] {
      return wrong->ready();
    },
    std::chrono::seconds(15)))
    << wrong->status().last_error;
}

TEST_F(MqttAuth, TlsWithClientCertificates) {
  auto dir = ca_dir("mqtt_tls");
  make_test_ca(dir, {"127.0.0.1", "client"});
  auto server = identity(dir, "127.0.0.1");
  mosquitto_options opts;
  opts.cafile = server.ca;
  opts.certfile = server.cert;
  opts.keyfile = server.key;
  opts.require_certificate = true;
  mosquitto_broker broker{opts};
  ASSERT_TRUE(broker.running());
  auto client = identity(dir, "client");
  auto src
    = start_source(broker.port(), tls(client), {"plant/+/temp", "hall/#"});
  ASSERT_TRUE(wait_until([&] {
    return src->ready();
  }))
    << src->status().last_error;
  auto sink = start_sink(broker.port(), tls(client));
  ASSERT_TRUE(sink_to_source(*sink, 1)) << sink->status().last_error;
  EXPECT_EQ(samples_[0].sensor, "plant.p1.temp");
  // A client without a certificate is turned away by the broker.
  auto bare = start_source(broker.port(), tls(client, false));
  // A CA that did not sign the broker's certificate fails the handshake.
  auto other = ca_dir("mqtt_tls_other");
  make_test_ca(other, {"client"});
  auto stranger = start_source(broker.port(), tls(identity(other, "client")));
  for (auto* x : {bare.get(), stranger.get()}) {
    ASSERT_TRUE(wait_until([&] {
      return !x->status().last_error.empty();
    }));
    EXPECT_FALSE(x->status().connected) << x->status().last_error;
  }
  // The reason comes with libmosquitto's log line, which may follow the
  // first error by a moment.
  EXPECT_TRUE(wait_until([&] {
    return stranger->status().last_error.find("certificate verify failed")
           != std::string::npos;
  }))
    << stranger->status().last_error;
}

TEST_F(MqttAuth, TlsChecksTheHostNameUnlessInsecure) {
  auto dir = ca_dir("mqtt_tls_host");
  make_test_ca(dir, {"broker.example"});
  auto server = identity(dir, "broker.example");
  mosquitto_options opts;
  opts.cafile = server.ca;
  opts.certfile = server.cert;
  opts.keyfile = server.key;
  mosquitto_broker broker{opts};
  ASSERT_TRUE(broker.running());
  // The certificate names broker.example, the client connects to 127.0.0.1.
  auto checked = start_source(broker.port(), tls(server, false));
  EXPECT_TRUE(wait_until([&] {
    return checked->status().last_error.find("host name verification failed")
           != std::string::npos;
  }))
    << checked->status().last_error;
  EXPECT_FALSE(checked->status().connected);
  auto conn = tls(server, false);
  conn.tls_insecure = true;
  auto insecure = start_source(broker.port(), conn);
  EXPECT_TRUE(wait_until([&] {
    return insecure->ready();
  }))
    << insecure->status().last_error;
}

TEST_F(MqttAuth, AFailedHandshakeIsRetried) {
  // libmosquitto's own loop gives up after a failed handshake; the client
  // must not: once the broker presents the right certificate, it connects.
  auto dir = ca_dir("mqtt_tls_retry");
  make_test_ca(dir, {"broker.example", "127.0.0.1"});
  mosquitto_options opts;
  auto wrong = identity(dir, "broker.example");
  opts.cafile = wrong.ca;
  opts.certfile = wrong.cert;
  opts.keyfile = wrong.key;
  auto first = std::make_unique<mosquitto_broker>(opts);
  ASSERT_TRUE(first->running());
  auto src = start_source(first->port(), tls(wrong, false));
  ASSERT_TRUE(wait_until([&] {
    return src->status().last_error.find("host name verification failed")
           != std::string::npos;
  }))
    << src->status().last_error;
  opts.port = first->port();
  first.reset();
  auto right = identity(dir, "127.0.0.1");
  opts.certfile = right.cert;
  opts.keyfile = right.key;
  mosquitto_broker second{opts};
  ASSERT_TRUE(second.running());
  EXPECT_TRUE(wait_until(
    [&] {
      return src->ready();
    },
    std::chrono::seconds(15)))
    << src->status().last_error;
}

TEST_F(MqttAuth, TopicsListSubscribesToEachFilter) {
  mosquitto_broker broker;
  ASSERT_TRUE(broker.running());
  auto src = start_source(broker.port(), {}, {"plant/+/temp", "hall/#"});
  ASSERT_TRUE(wait_until([&] {
    return src->ready();
  }));
  EXPECT_EQ(src->status().address,
            "mqtt://127.0.0.1:" + std::to_string(broker.port())
              + " plant/+/temp,hall/#");
  recorder pub{broker.port(), {}, ""};
  ASSERT_TRUE(wait_until([&] {
    return pub.client().connected();
  }));
  for (auto topic : {"plant/p1/temp", "plant/p1/amps", "hall/a/b", "yard/x"})
    ASSERT_FALSE(pub.client().publish(topic, "1", 1));
  ASSERT_TRUE(wait_for(2, 0));
  wait_until(
    [&] {
      collect();
      return samples_.size() > 2;
    },
    std::chrono::milliseconds(300));
  ASSERT_EQ(samples_.size(), 2u);
  EXPECT_EQ(samples_[0].sensor, "plant.p1.temp");
  EXPECT_EQ(samples_[1].sensor, "hall.a.b");
}
