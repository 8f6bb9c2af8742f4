// The MQTT source and sink against a real mosquitto broker: QoS 0 and 1,
// malformed payloads, and the broker going away and coming back.

#include <gtest/gtest.h>
#include <msgpack.hpp>
#include <mutex>

#include "runtime/core/errc.hpp"
#include "runtime/io/mqtt_sink.hpp"
#include "runtime/io/mqtt_source.hpp"
#include "tests/support/io_clients.hpp"
#include "tests/support/mosquitto_broker.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

/// A test-side MQTT client that publishes and records what it receives.
class test_client {
public:
  test_client(uint16_t port, std::string filter = {})
    : filter_(std::move(filter)),
      client_(
        net_address{"127.0.0.1", port},
        [this](mqtt_client& c) {
          if (!filter_.empty())
            static_cast<void>(c.subscribe(filter_, 1));
        },
        [this](std::string_view topic, std::string_view payload) {
          std::lock_guard<std::mutex> guard{mtx_};
          received_.emplace_back(std::string{topic}, std::string{payload});
        }) {
    EXPECT_FALSE(client_.start());
  }

  bool wait_ready() {
    return wait_until([&] {
      return client_.ready();
    });
  }

  bool publish(const std::string& topic, const std::string& payload,
               int qos = 1) {
    return !client_.publish(topic, payload, qos);
  }

  std::vector<std::pair<std::string, std::string>> received() {
    std::lock_guard<std::mutex> guard{mtx_};
    return received_;
  }

  mqtt_client& client() {
    return client_;
  }

private:
  std::string filter_;
  std::mutex mtx_;
  std::vector<std::pair<std::string, std::string>> received_;
  mqtt_client client_;
};

class Mqtt : public testing::Test, public inbox_collector {
protected:
  void SetUp() override {
    ASSERT_TRUE(broker_.running());
  }

  std::unique_ptr<mqtt_source> start_source(int qos) {
    source_spec spec;
    spec.broker = net_address{"127.0.0.1", broker_.port()};
    spec.topic = "plant/#";
    spec.session = mqtt_session::clean;
    spec.session = mqtt_session::clean;
    spec.qos = qos;
    auto src = mqtt_source::start(spec, inbox_);
    EXPECT_TRUE(src);
    EXPECT_TRUE(wait_until([&] {
      return (*src)->ready();
    }));
    return std::move(*src);
  }

  mosquitto_broker broker_;
};

} // namespace

TEST_F(Mqtt, SourceReceivesAllPayloadFormsAtQos0And1) {
  for (int qos : {0, 1}) {
    samples_.clear();
    auto src = start_source(qos);
    test_client pub{broker_.port()};
    ASSERT_TRUE(pub.wait_ready());
    ASSERT_TRUE(pub.publish("plant/pump1/temp",
                            R"({"ts": 1700000000000000000, "value": 21.5})",
                            qos));
    ASSERT_TRUE(pub.publish("plant/pump1/volts", "230.5", qos));
    msgpack::sbuffer map;
    msgpack::packer<msgpack::sbuffer> pk{map};
    pk.pack_map(2);
    pk.pack(std::string{"ts"});
    pk.pack(5);
    pk.pack(std::string{"value"});
    pk.pack(3.141592653589793);
    ASSERT_TRUE(pub.publish("plant/pump2/amps",
                            std::string(map.data(), map.size()), qos));
    ASSERT_TRUE(wait_for(3, 0)) << "qos " << qos;
    ASSERT_EQ(samples_.size(), 3u);
    EXPECT_EQ(samples_[0].sensor, "plant.pump1.temp");
    EXPECT_EQ(samples_[0].ts, 1700000000000000000);
    EXPECT_EQ(samples_[0].value, 21.5);
    EXPECT_EQ(samples_[1].sensor, "plant.pump1.volts");
    EXPECT_EQ(samples_[1].value, 230.5);
    EXPECT_GT(samples_[1].ts, 1700000000000000000); // its arrival time
    EXPECT_EQ(samples_[2].sensor, "plant.pump2.amps");
    EXPECT_EQ(samples_[2].ts, 5);
    EXPECT_DOUBLE_EQ(samples_[2].value, 3.141592653589793);
    EXPECT_EQ(src->status().messages, 3u);
    EXPECT_TRUE(src->status().connected);
  }
}

TEST_F(Mqtt, MalformedPayloadIsCountedWithItsTopic) {
  auto src = start_source(1);
  test_client pub{broker_.port()};
  ASSERT_TRUE(pub.wait_ready());
  ASSERT_TRUE(pub.publish("plant/pump1/temp", "twenty-one"));
  ASSERT_TRUE(pub.publish("plant/pump1/temp", "{\"ts\": 1}"));
  ASSERT_TRUE(pub.publish("plant/pump1/temp", "21"));
  ASSERT_TRUE(wait_for(1, 2));
  EXPECT_EQ(samples_.size(), 1u);
  EXPECT_EQ(notices_[0].origin, "mqtt topic plant/pump1/temp");
  EXPECT_EQ(notices_[0].reason,
            "payload is not JSON, msgpack or a number: 'twenty-one'");
  EXPECT_EQ(notices_[1].reason, "JSON payload has no \"value\"");
  EXPECT_EQ(src->status().dropped, 2u);
}

TEST_F(Mqtt, SourceResumesAfterBrokerRestart) {
  auto src = start_source(1);
  test_client pub{broker_.port()};
  ASSERT_TRUE(pub.wait_ready());
  ASSERT_TRUE(pub.publish("plant/a", "1"));
  ASSERT_TRUE(wait_for(1, 0));
  broker_.stop();
  ASSERT_TRUE(wait_until([&] {
    return !src->status().connected;
  }));
  ASSERT_TRUE(broker_.start());
  // Both clients reconnect by themselves, and the source subscribes again.
  ASSERT_TRUE(wait_until(
    [&] {
      return src->ready() && pub.client().ready();
    },
    std::chrono::seconds(20)));
  EXPECT_EQ(src->status().reconnects, 1u);
  ASSERT_TRUE(pub.publish("plant/a", "3"));
  ASSERT_TRUE(wait_for(2, 0));
  EXPECT_EQ(samples_.back().value, 3.0);
  EXPECT_NE(src->status().last_error.find("connection lost"),
            std::string::npos);
}

TEST_F(Mqtt, SourceStartedBeforeTheBrokerConnectsLater) {
  broker_.stop();
  source_spec spec;
  spec.broker = net_address{"127.0.0.1", broker_.port()};
  spec.topic = "plant/#";
  spec.session = mqtt_session::clean;
  auto src = mqtt_source::start(spec, inbox_);
  ASSERT_TRUE(src);
  EXPECT_FALSE((*src)->status().connected);
  ASSERT_TRUE(broker_.start());
  EXPECT_TRUE(wait_until(
    [&] {
      return (*src)->ready();
    },
    std::chrono::seconds(20)));
}

TEST_F(Mqtt, SourceIsReadyOnlyWhileConnectedAndSubscribed) {
  auto src = start_source(1);
  EXPECT_TRUE(src->status().ready);
  broker_.stop();
  ASSERT_TRUE(wait_until([&] {
    return !src->ready();
  }));
  EXPECT_FALSE(src->status().ready);
  ASSERT_TRUE(broker_.start());
  EXPECT_TRUE(wait_until(
    [&] {
      return src->status().ready;
    },
    std::chrono::seconds(20)));
}

TEST_F(Mqtt, SourceWhoseSubscriptionFailsIsNeverReady) {
  source_spec spec;
  spec.broker = net_address{"127.0.0.1", broker_.port()};
  // '#' must end a filter: the subscription is refused.
  spec.topic = "plant/#/temp";
  spec.session = mqtt_session::clean;
  auto src = mqtt_source::start(spec, inbox_);
  ASSERT_TRUE(src);
  ASSERT_TRUE(wait_until([&] {
    return (*src)->status().connected;
  }));
  EXPECT_FALSE((*src)->ready());
  EXPECT_FALSE((*src)->status().ready);
  EXPECT_NE((*src)->status().last_error.find("plant/#/temp"), std::string::npos)
    << (*src)->status().last_error;
}

TEST_F(Mqtt, SinkPublishesJsonOnTheNodeTopic) {
  sink_spec spec;
  spec.kind = sink_kind::mqtt;
  spec.broker = net_address{"127.0.0.1", broker_.port()};
  spec.topic_prefix = "shoal/out";
  auto sink = mqtt_sink::start(spec);
  ASSERT_TRUE(sink);
  auto& s = **sink;
  test_client sub{broker_.port(), "shoal/out/#"};
  ASSERT_TRUE(sub.wait_ready());
  ASSERT_TRUE(wait_until([&] {
    return s.connected();
  }));
  s.write("pump1.anomaly", point{5, 0.75});
  s.write("plant.health", point{6, -1});
  EXPECT_FALSE(s.flush());
  ASSERT_TRUE(wait_until([&] {
    return sub.received().size() == 2;
  }));
  auto got = sub.received();
  EXPECT_EQ(got[0].first, "shoal/out/pump1/anomaly");
  EXPECT_EQ(got[0].second, "{\"ts\":5,\"value\":0.75}");
  EXPECT_EQ(got[1].first, "shoal/out/plant/health");
  EXPECT_EQ(got[1].second, "{\"ts\":6,\"value\":-1}");
  EXPECT_EQ(s.status().messages, 2u);
}

TEST_F(Mqtt, SinkDropsAndCountsWhileTheBrokerIsAway) {
  sink_spec spec;
  spec.kind = sink_kind::mqtt;
  spec.broker = net_address{"127.0.0.1", broker_.port()};
  auto sink = mqtt_sink::start(spec);
  ASSERT_TRUE(sink);
  auto& s = **sink;
  ASSERT_TRUE(wait_until([&] {
    return s.connected();
  }));
  broker_.stop();
  ASSERT_TRUE(wait_until([&] {
    return !s.connected();
  }));
  for (int i = 0; i < 10; ++i)
    s.write("m", point{i, 1.0});
  EXPECT_EQ(s.status().dropped, 10u);
  ASSERT_TRUE(broker_.start());
  ASSERT_TRUE(wait_until(
    [&] {
      return s.connected();
    },
    std::chrono::seconds(20)));
  test_client sub{broker_.port(), "shoal/out/#"};
  ASSERT_TRUE(sub.wait_ready());
  s.write("m", point{11, 2.0});
  ASSERT_TRUE(wait_until([&] {
    return sub.received().size() == 1;
  }));
  EXPECT_EQ(s.status().dropped, 10u);
  EXPECT_EQ(s.status().reconnects, 1u);
}
