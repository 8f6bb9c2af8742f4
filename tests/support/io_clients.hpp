// Small blocking network clients and polling helpers for the I/O tests.
//
// `msgpack_client` connects to a TCP source or sink on 127.0.0.1 and sends
// raw bytes or reads msgpack frames; `wait_until` polls a condition with a
// deadline (tests never sleep a fixed time). Each client is used by one
// thread; a reader thread may own its own client.

#pragma once

#include <boost/asio.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <msgpack.hpp>
#include <string>
#include <vector>

#include "runtime/io/sample_inbox.hpp"

namespace shoal::test_support {

/// Polls `cond` every millisecond until it holds or `timeout` passed;
/// returns its last value.
bool wait_until(const std::function<bool()>& cond,
                std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// What a source pushed into its inbox, collected by a test: a fixture
/// derives from it, hands `inbox_` to the source, and waits.
class inbox_collector {
protected:
  /// Drains the inbox into `samples_` and `notices_`.
  void collect();

  /// Collects until at least that many samples and notices arrived (up to
  /// 10 s); returns whether they did.
  bool wait_for(size_t samples, size_t notices);

  std::shared_ptr<sample_inbox> inbox_ = std::make_shared<sample_inbox>();
  std::vector<inbox_sample> samples_;
  std::vector<malformed_notice> notices_;
};

class msgpack_client {
public:
  /// Connects to 127.0.0.1:`port`; `rcvbuf` > 0 shrinks the receive buffer
  /// first (a slow subscriber).
  explicit msgpack_client(uint16_t port, int rcvbuf = 0);

  /// Sends `bytes`; false if the peer closed the connection.
  bool send(const std::string& bytes);

  /// Sends one sample frame [sensor, ts, value].
  bool send_sample(const std::string& sensor, int64_t ts, double value);

  /// Reads until `n` frames arrived or the deadline passed; returns what
  /// arrived, as [node, ts, value] triples decoded into the out vectors.
  size_t read_frames(size_t n, std::vector<std::string>& names,
                     std::vector<int64_t>& ts, std::vector<double>& values,
                     std::chrono::milliseconds timeout
                     = std::chrono::seconds(10));

  /// Whether the peer closed the connection (reads EOF or an error within
  /// `timeout`; data that arrives first is discarded).
  bool closed_by_peer(std::chrono::milliseconds timeout
                      = std::chrono::seconds(10));

  void close();

private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket sock_{io_};
  msgpack::unpacker unpacker_;
};

/// One msgpack frame [sensor, ts, value].
std::string pack_sample(const std::string& sensor, int64_t ts, double value);

/// One batch frame [[sensor, ts, value], ...].
std::string pack_batch(const std::vector<std::string>& sensors,
                       const std::vector<int64_t>& ts,
                       const std::vector<double>& values);

} // namespace shoal::test_support
