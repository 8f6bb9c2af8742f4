// The TCP sink over real sockets: subscribers get [node, ts, value]; a slow
// subscriber is dropped while the others keep receiving.

#include <atomic>
#include <gtest/gtest.h>
#include <thread>

#include "runtime/io/tcp_sink.hpp"
#include "tests/support/io_clients.hpp"

using namespace shoal;
using namespace shoal::test_support;

TEST(TcpSink, SubscribersReceiveEveryOutput) {
  auto sink = tcp_sink::start(net_address{"127.0.0.1", 0});
  ASSERT_TRUE(sink);
  auto& s = **sink;
  // Outputs before anyone subscribed go nowhere.
  s.write("early", point{1, 1.0});
  msgpack_client a{s.port()};
  msgpack_client b{s.port()};
  ASSERT_TRUE(wait_until([&] {
    return s.subscribers() == 2;
  }));
  for (int i = 0; i < 100; ++i)
    s.write(i % 2 == 0 ? "m.even" : "m.odd", point{i, i * 0.25});
  EXPECT_FALSE(s.flush());
  for (auto* c : {&a, &b}) {
    std::vector<std::string> names;
    std::vector<int64_t> ts;
    std::vector<double> values;
    ASSERT_EQ(c->read_frames(100, names, ts, values), 100u);
    for (int i = 0; i < 100; ++i) {
      EXPECT_EQ(names[i], i % 2 == 0 ? "m.even" : "m.odd");
      EXPECT_EQ(ts[i], i);
      EXPECT_EQ(values[i], i * 0.25);
    }
  }
  EXPECT_EQ(s.status().messages, 100u);
  // A subscriber that leaves is forgotten.
  a.close();
  ASSERT_TRUE(wait_until([&] {
    return s.subscribers() == 1;
  }));
  EXPECT_EQ(s.dropped(), 0u);
}

TEST(TcpSink, SlowSubscriberIsDroppedOthersKeepReceiving) {
  tcp_sink::options opts;
  opts.max_queue_bytes = 64 * 1024;
  auto sink = tcp_sink::start(net_address{"127.0.0.1", 0}, opts);
  ASSERT_TRUE(sink);
  auto& s = **sink;
  // The slow one never reads, with a small receive buffer.
  msgpack_client slow{s.port(), 4096};
  msgpack_client fast{s.port()};
  ASSERT_TRUE(wait_until([&] {
    return s.subscribers() == 2;
  }));
  std::atomic<size_t> received{0};
  std::atomic<bool> stop{false};
  std::vector<int64_t> fast_ts;
  std::thread reader{[&] {
    while (!stop) {
      std::vector<std::string> names;
      std::vector<double> values;
      auto n = fast.read_frames(1000, names, fast_ts, values,
                                std::chrono::milliseconds(20));
      received += n;
    }
  }};
  // Write in rounds the fast subscriber keeps up with, until the slow one's
  // queue overflows.
  int64_t written = 0;
  bool dropped = wait_until([&] {
    for (int i = 0; i < 2000; ++i, ++written)
      s.write("pump1.anomaly", point{written, 0.5});
    wait_until([&] {
      return received.load() == size_t(written);
    });
    return s.dropped() == 1;
  });
  ASSERT_TRUE(dropped);
  EXPECT_TRUE(slow.closed_by_peer());
  EXPECT_EQ(s.subscribers(), 1u);
  EXPECT_NE(s.status().last_error.find("too slow"), std::string::npos);
  // The fast one got everything, and keeps getting outputs.
  for (int i = 0; i < 500; ++i, ++written)
    s.write("pump1.anomaly", point{written, 0.5});
  EXPECT_TRUE(wait_until([&] {
    return received.load() == size_t(written);
  }));
  stop = true;
  reader.join();
  ASSERT_EQ(fast_ts.size(), size_t(written));
  for (int64_t i = 0; i < written; ++i)
    ASSERT_EQ(fast_ts[i], i);
}
