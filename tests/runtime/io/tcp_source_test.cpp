// The TCP source over real sockets: many clients at once, batches, and bad
// input that closes one connection without touching the others.

#include <gtest/gtest.h>
#include <map>
#include <random>
#include <thread>

#include "runtime/io/tcp_source.hpp"
#include "tests/support/io_clients.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

class TcpSource : public testing::Test, public inbox_collector {
protected:
  void SetUp() override {
    auto src = tcp_source::start(net_address{"127.0.0.1", 0}, inbox_);
    ASSERT_TRUE(src);
    src_ = std::move(*src);
    ASSERT_NE(src_->port(), 0);
  }

  std::unique_ptr<tcp_source> src_;
};

} // namespace

TEST_F(TcpSource, ReportsTheRealPort) {
  auto st = src_->status();
  EXPECT_EQ(st.kind, "tcp source");
  EXPECT_EQ(st.port, src_->port());
  EXPECT_EQ(st.address, "127.0.0.1:" + std::to_string(src_->port()));
}

TEST_F(TcpSource, ManyConcurrentConnections) {
  constexpr int clients = 24;
  constexpr int per_client = 60;
  std::vector<std::unique_ptr<msgpack_client>> conns;
  for (int c = 0; c < clients; ++c)
    conns.push_back(std::make_unique<msgpack_client>(src_->port()));
  ASSERT_TRUE(wait_until([&] {
    return src_->status().clients == clients;
  }));
  // Every client sends from its own thread, singles and batches mixed.
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c)
    threads.emplace_back([&, c] {
      auto sensor = "s" + std::to_string(c);
      for (int i = 0; i < per_client; i += 3) {
        conns[c]->send_sample(sensor, i, c + i * 0.5);
        conns[c]->send(pack_batch({sensor, sensor}, {i + 1, i + 2},
                                  {c + (i + 1) * 0.5, c + (i + 2) * 0.5}));
      }
    });
  for (auto& t : threads)
    t.join();
  ASSERT_TRUE(wait_for(clients * per_client, 0));
  EXPECT_TRUE(notices_.empty());
  // Each connection's samples arrive in order and intact.
  std::map<std::string, std::vector<inbox_sample>> by_sensor;
  for (auto& s : samples_)
    by_sensor[s.sensor].push_back(s);
  ASSERT_EQ(by_sensor.size(), size_t{clients});
  for (int c = 0; c < clients; ++c) {
    auto& xs = by_sensor["s" + std::to_string(c)];
    ASSERT_EQ(xs.size(), size_t{per_client});
    for (int i = 0; i < per_client; ++i) {
      EXPECT_EQ(xs[i].ts, i);
      EXPECT_EQ(xs[i].value, c + i * 0.5);
    }
  }
  EXPECT_EQ(src_->status().messages, uint64_t{clients * per_client});
}

TEST_F(TcpSource, WrongTypesCloseOnlyThatConnection) {
  msgpack_client good{src_->port()};
  msgpack_client bad{src_->port()};
  ASSERT_TRUE(good.send_sample("a", 1, 1.0));
  ASSERT_TRUE(bad.send_sample("b", 1, 1.0));
  ASSERT_TRUE(wait_for(2, 0));
  // ts as a string: the frame is malformed, the connection closes.
  msgpack::sbuffer buf;
  msgpack::packer<msgpack::sbuffer> pk{buf};
  pk.pack_array(3);
  pk.pack(std::string{"b"});
  pk.pack(std::string{"yesterday"});
  pk.pack(2.0);
  bad.send(std::string(buf.data(), buf.size()));
  EXPECT_TRUE(bad.closed_by_peer());
  ASSERT_TRUE(wait_for(2, 1));
  EXPECT_EQ(notices_[0].origin.rfind("tcp 127.0.0.1:", 0), 0u);
  EXPECT_EQ(notices_[0].reason, "frame 2: ts must be an int64 (ns), not a "
                                "string");
  // The good connection carries on.
  ASSERT_TRUE(good.send_sample("a", 2, 2.0));
  ASSERT_TRUE(wait_for(3, 1));
  EXPECT_EQ(samples_.back().sensor, "a");
  EXPECT_EQ(samples_.back().ts, 2);
  EXPECT_EQ(src_->status().dropped, 1u);
}

TEST_F(TcpSource, TruncatedFrameCountsAtEndOfConnection) {
  {
    msgpack_client c{src_->port()};
    auto bytes = pack_sample("a", 1, 1.0) + pack_sample("a", 2, 2.0);
    bytes.resize(bytes.size() - 4);
    ASSERT_TRUE(c.send(bytes));
    ASSERT_TRUE(wait_for(1, 0));
  }
  ASSERT_TRUE(wait_for(1, 1));
  EXPECT_EQ(samples_.size(), 1u);
  EXPECT_NE(notices_[0].reason.find("connection ended inside a frame"),
            std::string::npos);
}

TEST_F(TcpSource, HugeFrameClosesTheConnection) {
  msgpack_client good{src_->port()};
  msgpack_client huge{src_->port()};
  // A 2 MiB string inside a sample: beyond the 1 MiB frame limit.
  std::string big(2 << 20, 'x');
  huge.send(pack_sample(big, 1, 1.0));
  EXPECT_TRUE(huge.closed_by_peer());
  ASSERT_TRUE(wait_for(0, 1));
  EXPECT_NE(notices_[0].reason.find("1048576"), std::string::npos);
  ASSERT_TRUE(good.send_sample("a", 1, 1.0));
  ASSERT_TRUE(wait_for(1, 1));
}

TEST_F(TcpSource, RandomBytesAreCountedNeverFatal) {
  std::mt19937_64 rng{11};
  for (int round = 0; round < 20; ++round) {
    msgpack_client c{src_->port()};
    std::string bytes(1 + rng() % 2000, '\0');
    for (auto& ch : bytes)
      ch = static_cast<char>(rng());
    c.send(bytes);
    c.close();
  }
  // Every connection ends in a malformed frame (a bad one or a cut-off one).
  ASSERT_TRUE(wait_for(0, 20));
  ASSERT_TRUE(wait_until([&] {
    return src_->status().clients == 0;
  }));
  msgpack_client good{src_->port()};
  ASSERT_TRUE(good.send_sample("after", 5, 5.0));
  ASSERT_TRUE(wait_until([&] {
    collect();
    return !samples_.empty() && samples_.back().sensor == "after";
  }));
}

TEST_F(TcpSource, FullInboxPausesReadingWithoutLoss) {
  auto small = std::make_shared<sample_inbox>(10);
  auto src = tcp_source::start(net_address{"127.0.0.1", 0}, small);
  ASSERT_TRUE(src);
  msgpack_client c{(*src)->port()};
  // Many reads' worth: reading stops while the inbox is full.
  constexpr size_t n = 20000;
  std::string bytes;
  for (size_t i = 0; i < n; ++i)
    bytes += pack_sample("a", int64_t(i), double(i));
  // Sent from a thread: the source stops reading until the inbox drains.
  std::thread sender{[&] {
    EXPECT_TRUE(c.send(bytes));
  }};
  std::vector<inbox_sample> all;
  ASSERT_TRUE(wait_until([&] {
    std::vector<inbox_sample> s;
    std::vector<malformed_notice> notices;
    small->drain(s, notices);
    all.insert(all.end(), s.begin(), s.end());
    return all.size() >= n;
  }));
  sender.join();
  EXPECT_EQ(all.size(), n);
  EXPECT_EQ(small->overflow(), 0u);
  for (size_t i = 0; i < n; ++i)
    ASSERT_EQ(all[i].ts, int64_t(i));
}
