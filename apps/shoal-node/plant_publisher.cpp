#include "apps/shoal-node/plant_publisher.hpp"

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "actors/sources/live_source.hpp"

namespace shoal {

plant_publisher::plant_publisher(net_address broker, const plant_config& plant)
  : sim_(plant), client_(std::move(broker), nullptr, nullptr) {
  // nop
}

plant_publisher::~plant_publisher() {
  stop_ = true;
  if (thread_.joinable())
    thread_.join();
}

caf::error plant_publisher::start() {
  if (auto err = client_.start())
    return err;
  thread_ = std::thread{[this] {
    run();
  }};
  return caf::none;
}

void plant_publisher::run() {
  std::vector<std::string> topics;
  for (auto name : sim_.sensor_names()) {
    for (auto& c : name)
      if (c == '.')
        c = '/';
    topics.push_back(std::move(name));
  }
  std::vector<sim_sample> buf;
  auto last = wall_clock_ns();
  char payload[96];
  while (!stop_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    auto now = wall_clock_ns();
    buf.clear();
    sim_.generate(last, now, buf);
    last = now;
    for (auto& x : buf) {
      auto n = std::snprintf(payload, sizeof(payload),
                             "{\"ts\":%lld,\"value\":%.17g}",
                             static_cast<long long>(x.ts), x.value);
      if (client_.publish(topics[x.sensor],
                          std::string_view{payload, static_cast<size_t>(n)}, 0))
        dropped_.fetch_add(1);
      else
        published_.fetch_add(1);
    }
  }
}

} // namespace shoal
