// The simulated plant as an MQTT publisher, for `shoal-node --mqtt URL`:
// the demo's samples travel through a real broker instead of straight into
// the graph.
//
// A thread of its own generates the plant's samples of each 10 ms of wall
// clock (runtime/sim/plant_sim.hpp) and publishes each on topic
// "<sensor name with '.' read as '/'>" as JSON {"ts": <ns>, "value": <v>},
// QoS 0. Samples that cannot be published (broker away) are counted as
// dropped. The destructor stops the thread and disconnects.

#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>

#include "caf/error.hpp"

#include "runtime/io/mqtt_client.hpp"
#include "runtime/io/net_address.hpp"
#include "runtime/sim/plant_sim.hpp"

namespace shoal {

class plant_publisher {
public:
  plant_publisher(net_address broker, const plant_config& plant);
  plant_publisher(const plant_publisher&) = delete;
  plant_publisher& operator=(const plant_publisher&) = delete;
  ~plant_publisher();

  /// Connects (in the background) and starts publishing.
  caf::error start();

  uint64_t published() const {
    return published_.load();
  }
  uint64_t dropped() const {
    return dropped_.load();
  }

private:
  void run();

  plant_sim sim_;
  mqtt_client client_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> published_{0};
  std::atomic<uint64_t> dropped_{0};
};

} // namespace shoal
