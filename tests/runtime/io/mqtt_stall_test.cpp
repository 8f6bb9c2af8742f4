// The MQTT sink's `queue` cap against a real mosquitto broker that stalls:
// the broker process is stopped (SIGSTOP) while connected, so it reads
// nothing and acknowledges nothing, and continued (SIGCONT) afterwards.

#include <algorithm>
#include <csignal>
#include <gtest/gtest.h>
#include <mutex>

#include "runtime/io/mqtt_sink.hpp"
#include "tests/support/io_clients.hpp"
#include "tests/support/mosquitto_broker.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

/// Stalls a process (SIGSTOP) until destroyed (SIGCONT), so that a failed
/// assertion never leaves the broker stopped for its destructor to wait on.
class stalled_process {
public:
  explicit stalled_process(pid_t pid) : pid_(pid) {
    ok_ = ::kill(pid_, SIGSTOP) == 0;
  }

  stalled_process(const stalled_process&) = delete;

  stalled_process& operator=(const stalled_process&) = delete;

  ~stalled_process() {
    if (ok_)
      ::kill(pid_, SIGCONT);
  }

  bool ok() const {
    return ok_;
  }

private:
  pid_t pid_;
  bool ok_ = false;
};

class MqttStall : public testing::Test {
protected:
  void SetUp() override {
    ASSERT_TRUE(broker_.running());
  }

  mosquitto_broker broker_;
};

} // namespace

// A connected broker that stops reading must not make the sink hold every
// output: above `queue` they are dropped and counted, and publishing resumes
// once the broker reads again.
TEST_F(MqttStall, SinkCapsItsQueueWhileTheBrokerStalls) {
  sink_spec spec;
  spec.kind = sink_kind::mqtt;
  spec.broker = net_address{"127.0.0.1", broker_.port()};
  spec.queue = 1000;
  auto sink = mqtt_sink::start(spec);
  ASSERT_TRUE(sink);
  auto& s = **sink;
  std::mutex mtx;
  bool delivered = false;
  mqtt_client sub{net_address{"127.0.0.1", broker_.port()},
                  [](mqtt_client& c) {
                    static_cast<void>(c.subscribe("shoal/out/#", 1));
                  },
                  [&](std::string_view, std::string_view payload) {
                    std::lock_guard<std::mutex> guard{mtx};
                    if (payload == "{\"ts\":9999,\"value\":2}")
                      delivered = true;
                  }};
  ASSERT_FALSE(sub.start());
  ASSERT_TRUE(wait_until([&] {
    return sub.ready();
  }));
  ASSERT_TRUE(wait_until([&] {
    return s.connected();
  }));
  endpoint_status stalled;
  {
    stalled_process stall{broker_.pid()};
    ASSERT_TRUE(stall.ok());
    // QoS 1 (the default): nothing is acknowledged while the broker stalls.
    uint64_t max_queued = 0;
    for (int i = 0; i < 5000; ++i) {
      s.write("m", point{i, 1.0});
      max_queued = std::max(max_queued, s.queued());
    }
    stalled = s.status();
    EXPECT_LE(max_queued, 1000u);
    EXPECT_EQ(stalled.messages + stalled.dropped, 5000u);
    EXPECT_GE(stalled.dropped, 4000u);
  }
  ASSERT_TRUE(wait_until(
    [&] {
      return s.queued() == 0;
    },
    std::chrono::seconds(20)));
  s.write("m", point{9999, 2.0});
  ASSERT_TRUE(wait_until([&] {
    std::lock_guard<std::mutex> guard{mtx};
    return delivered;
  }));
  EXPECT_EQ(s.status().dropped, stalled.dropped);
  EXPECT_EQ(s.status().messages, stalled.messages + 1);
}

// At QoS 0 libmosquitto is done with a message once it wrote it to the
// socket, so the kernel's socket buffers take some first: 50,000 outputs on
// a 4,000-character topic (200 MB) are far more than they hold.
TEST_F(MqttStall, SinkCapsItsQueueAtQos0WhileTheBrokerStalls) {
  sink_spec spec;
  spec.kind = sink_kind::mqtt;
  spec.broker = net_address{"127.0.0.1", broker_.port()};
  spec.qos = 0;
  spec.queue = 1000;
  auto sink = mqtt_sink::start(spec);
  ASSERT_TRUE(sink);
  auto& s = **sink;
  ASSERT_TRUE(wait_until([&] {
    return s.connected();
  }));
  std::string node(4000, 'n');
  constexpr uint64_t outputs = 50'000;
  endpoint_status stalled;
  {
    stalled_process stall{broker_.pid()};
    ASSERT_TRUE(stall.ok());
    uint64_t max_queued = 0;
    for (uint64_t i = 0; i < outputs; ++i) {
      s.write(node, point{static_cast<int64_t>(i), 1.0});
      max_queued = std::max(max_queued, s.queued());
    }
    stalled = s.status();
    EXPECT_LE(max_queued, 1000u);
    EXPECT_EQ(stalled.messages + stalled.dropped, outputs);
    EXPECT_GT(stalled.dropped, 0u);
  }
  ASSERT_TRUE(wait_until(
    [&] {
      return s.queued() == 0;
    },
    std::chrono::seconds(20)));
}
