// MQTT source sessions against a real mosquitto broker (SPEC section 10): a
// persistent session gets the QoS 1 messages published while its source was
// stopped once it starts again with the same client id; a clean session or a
// QoS 0 subscription does not (at most once).

#include <gtest/gtest.h>
#include <memory>
#include <string>

#include "runtime/core/errc.hpp"
#include "runtime/io/mqtt_source.hpp"
#include "tests/support/io_clients.hpp"
#include "tests/support/mosquitto_broker.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

class MqttSession : public testing::Test, public inbox_collector {
protected:
  void SetUp() override {
    ASSERT_TRUE(broker_.running());
    ASSERT_FALSE(pub_.start());
    ASSERT_TRUE(wait_until([&] {
      return pub_.ready();
    }));
  }

  /// Starts a source on plant/# as `client_id` and waits until it is ready.
  std::unique_ptr<mqtt_source> start_source(mqtt_session session, int qos) {
    source_spec spec;
    spec.broker = net_address{"127.0.0.1", broker_.port()};
    spec.topic = "plant/#";
    spec.qos = qos;
    spec.session = session;
    auto src = mqtt_source::start(spec, inbox_, client_id_);
    EXPECT_TRUE(src) << describe(src.error());
    if (!src)
      return nullptr;
    EXPECT_TRUE(wait_until([&] {
      return (*src)->ready();
    }));
    return std::move(*src);
  }

  /// Publishes `values` on plant/a at QoS 1 and waits until the broker
  /// acknowledged each of them, so it holds them.
  void publish_acked(std::initializer_list<int> values) {
    for (auto x : values)
      ASSERT_FALSE(pub_.publish("plant/a", std::to_string(x), 1));
    ASSERT_TRUE(wait_until([&] {
      return pub_.queued() == 0;
    }));
  }

  /// Starts a source, stops it, publishes 1, 2, 3 while it is away, starts
  /// it again as the same client, and publishes a marker (99) once it is
  /// ready. Returns the source after the marker arrived.
  std::unique_ptr<mqtt_source> away_and_back(mqtt_session session, int qos) {
    auto src = start_source(session, qos);
    src.reset(); // disconnects; a persistent session stays at the broker
    publish_acked({1, 2, 3});
    src = start_source(session, qos);
    if (src == nullptr)
      return nullptr;
    publish_acked({99});
    EXPECT_TRUE(wait_until([&] {
      collect();
      return !samples_.empty() && samples_.back().value == 99.0;
    }));
    return src;
  }

  std::vector<double> values() const {
    std::vector<double> xs;
    for (auto& s : samples_)
      xs.push_back(s.value);
    return xs;
  }

  mosquitto_broker broker_;
  mqtt_client pub_{net_address{"127.0.0.1", broker_.port()}, nullptr, nullptr};
  std::string client_id_ = mqtt_source::client_id("n1", 1);
};

} // namespace

TEST_F(MqttSession, ClientIdNamesTheMemberAndTheSource) {
  EXPECT_EQ(mqtt_source::client_id("n1", 1), "shoal-n1-1");
  EXPECT_EQ(mqtt_source::client_id("edge-7", 12), "shoal-edge-7-12");
}

TEST_F(MqttSession, PersistentSessionNeedsAClientId) {
  source_spec spec;
  spec.broker = net_address{"127.0.0.1", broker_.port()};
  spec.topic = "plant/#";
  auto src = mqtt_source::start(spec, inbox_);
  ASSERT_FALSE(src);
  EXPECT_EQ(describe(src.error()),
            "mqtt source plant/#: a persistent session needs a client id");
}

TEST_F(MqttSession, PersistentSessionGetsWhatWasPublishedWhileAway) {
  auto src = away_and_back(mqtt_session::persistent, 1);
  ASSERT_NE(src, nullptr);
  // Each kept message exactly once, in order, before the marker; the
  // source counts what this connection received.
  EXPECT_EQ(values(), (std::vector<double>{1, 2, 3, 99}));
  EXPECT_EQ(src->status().messages, 4u);
  EXPECT_TRUE(src->ready());
  EXPECT_EQ(samples_[0].sensor, "plant.a");
}

TEST_F(MqttSession, CleanSessionLosesWhatWasPublishedWhileAway) {
  auto src = away_and_back(mqtt_session::clean, 1);
  ASSERT_NE(src, nullptr);
  EXPECT_EQ(values(), (std::vector<double>{99}));
  EXPECT_EQ(src->status().messages, 1u);
}

TEST_F(MqttSession, Qos0SubscriptionKeepsNothingWhileAway) {
  // The broker downgrades deliveries to the subscription's QoS and does not
  // queue QoS 0 messages for a client that is away.
  auto src = away_and_back(mqtt_session::persistent, 0);
  ASSERT_NE(src, nullptr);
  EXPECT_EQ(values(), (std::vector<double>{99}));
}
