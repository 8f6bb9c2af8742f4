// An output_sink that serves emitted outputs to TCP subscribers.
//
// Subscribers connect to the listening address and receive a stream of
// msgpack arrays [node, ts, value], one per output emitted after they
// connected. `write` packs the output once and appends it to the queue of
// every subscriber; the network thread drains the queues. A slow
// subscriber never blocks the graph: when its queue would exceed
// `max_queue_bytes` it is dropped (its connection closed), the reason is
// logged and counted, and the others carry on. What subscribers send is
// ignored. `write` and `flush` are called by the owning sink actor only;
// `status` and `subscribers` from any thread. One network thread per sink.

#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "caf/expected.hpp"

#include "runtime/io/io_endpoint.hpp"
#include "runtime/io/net_address.hpp"
#include "runtime/io/output_sink.hpp"

namespace shoal {

class tcp_sink : public output_sink, public io_endpoint {
public:
  struct options {
    /// Bytes waiting for one subscriber before it is dropped.
    size_t max_queue_bytes = size_t{4} << 20;
  };

  /// Listens on `listen` (port 0: any free port).
  static caf::expected<std::unique_ptr<tcp_sink>>
  start(const net_address& listen, options opts);

  static caf::expected<std::unique_ptr<tcp_sink>>
  start(const net_address& listen) {
    return start(listen, options{});
  }

  ~tcp_sink() override;

  void write(const std::string& node, point p) override;

  caf::error flush() override;

  endpoint_status status() const override;

  /// The port actually listened on.
  uint16_t port() const;

  /// Subscribers connected now.
  size_t subscribers() const;

  /// Subscribers dropped for being too slow.
  uint64_t dropped() const;

  struct impl;

private:
  explicit tcp_sink(std::unique_ptr<impl> ptr);

  std::unique_ptr<impl> impl_;
  std::string frame_;
};

} // namespace shoal
