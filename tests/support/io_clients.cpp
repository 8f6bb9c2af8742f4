#include "tests/support/io_clients.hpp"

#include <thread>

namespace shoal::test_support {

namespace asio = boost::asio;
using asio::ip::tcp;

bool wait_until(const std::function<bool()>& cond,
                std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!cond()) {
    if (std::chrono::steady_clock::now() >= deadline)
      return cond();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

msgpack_client::msgpack_client(uint16_t port, int rcvbuf) {
  sock_.open(tcp::v4());
  if (rcvbuf > 0)
    sock_.set_option(asio::socket_base::receive_buffer_size(rcvbuf));
  sock_.connect(tcp::endpoint{asio::ip::make_address("127.0.0.1"), port});
}

bool msgpack_client::send(const std::string& bytes) {
  boost::system::error_code ec;
  asio::write(sock_, asio::buffer(bytes), ec);
  return !ec;
}

bool msgpack_client::send_sample(const std::string& sensor, int64_t ts,
                                 double value) {
  return send(pack_sample(sensor, ts, value));
}

size_t msgpack_client::read_frames(size_t n, std::vector<std::string>& names,
                                   std::vector<int64_t>& ts,
                                   std::vector<double>& values,
                                   std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  size_t got = 0;
  sock_.non_blocking(true);
  while (got < n && std::chrono::steady_clock::now() < deadline) {
    msgpack::object_handle oh;
    while (got < n && unpacker_.next(oh)) {
      auto arr = oh.get().as<std::vector<msgpack::object>>();
      names.push_back(arr.at(0).as<std::string>());
      ts.push_back(arr.at(1).as<int64_t>());
      values.push_back(arr.at(2).as<double>());
      ++got;
    }
    if (got == n)
      break;
    unpacker_.reserve_buffer(64 * 1024);
    boost::system::error_code ec;
    auto k = sock_.read_some(
      asio::buffer(unpacker_.buffer(), unpacker_.buffer_capacity()), ec);
    if (ec == asio::error::would_block) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      continue;
    }
    if (ec)
      break;
    unpacker_.buffer_consumed(k);
  }
  return got;
}

bool msgpack_client::closed_by_peer(std::chrono::milliseconds timeout) {
  sock_.non_blocking(true);
  char buf[4096];
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    boost::system::error_code ec;
    sock_.read_some(asio::buffer(buf), ec);
    if (ec == asio::error::would_block) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      continue;
    }
    if (ec)
      return true;
  }
  return false;
}

void msgpack_client::close() {
  boost::system::error_code ignored;
  sock_.close(ignored);
}

std::string pack_sample(const std::string& sensor, int64_t ts, double value) {
  msgpack::sbuffer buf;
  msgpack::packer<msgpack::sbuffer> pk{buf};
  pk.pack_array(3);
  pk.pack(sensor);
  pk.pack(ts);
  pk.pack(value);
  return std::string(buf.data(), buf.size());
}

std::string pack_batch(const std::vector<std::string>& sensors,
                       const std::vector<int64_t>& ts,
                       const std::vector<double>& values) {
  msgpack::sbuffer buf;
  msgpack::packer<msgpack::sbuffer> pk{buf};
  pk.pack_array(static_cast<uint32_t>(sensors.size()));
  for (size_t i = 0; i < sensors.size(); ++i) {
    pk.pack_array(3);
    pk.pack(sensors[i]);
    pk.pack(ts[i]);
    pk.pack(values[i]);
  }
  return std::string(buf.data(), buf.size());
}

void inbox_collector::collect() {
  std::vector<inbox_sample> s;
  std::vector<malformed_notice> n;
  inbox_->drain(s, n);
  samples_.insert(samples_.end(), s.begin(), s.end());
  notices_.insert(notices_.end(), n.begin(), n.end());
}

bool inbox_collector::wait_for(size_t samples, size_t notices) {
  return wait_until([&] {
    collect();
    return samples_.size() >= samples && notices_.size() >= notices;
  });
}

} // namespace shoal::test_support
