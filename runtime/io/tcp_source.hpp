// A live TCP source: clients connect and send msgpack frames of samples,
// which go into a sample_inbox for an ingest_source actor.
//
// Any number of clients may be connected at once; each sends a stream of
// frames, a frame being one sample [sensor, ts, value] or a batch of them
// (see frame_reader). A connection whose frame is malformed, longer than
// `max_frame_bytes` or not msgpack at all is closed, with the reason
// pushed as a malformed notice naming the peer (and logged); the good
// samples before it are kept, and other connections are not affected. A
// frame cut off by the end of a connection counts as malformed too. While
// the inbox is full, reading pauses (TCP flow control holds the clients
// back). One network thread (an asio io_context) per source; the destructor
// closes every connection and joins it.

#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "caf/expected.hpp"

#include "runtime/io/frame_reader.hpp"
#include "runtime/io/io_endpoint.hpp"
#include "runtime/io/net_address.hpp"
#include "runtime/io/sample_inbox.hpp"

namespace shoal {

class tcp_source : public io_endpoint {
public:
  struct options {
    size_t max_frame_bytes = frame_reader::default_max_frame_bytes;
  };

  /// Listens on `listen` (port 0: any free port); samples go to `inbox`.
  static caf::expected<std::unique_ptr<tcp_source>>
  start(const net_address& listen, std::shared_ptr<sample_inbox> inbox,
        options opts);

  static caf::expected<std::unique_ptr<tcp_source>>
  start(const net_address& listen, std::shared_ptr<sample_inbox> inbox) {
    return start(listen, std::move(inbox), options{});
  }

  ~tcp_source() override;

  /// The port actually listened on.
  uint16_t port() const;

  endpoint_status status() const override;

  struct impl;

private:
  explicit tcp_source(std::unique_ptr<impl> ptr);

  std::unique_ptr<impl> impl_;
};

} // namespace shoal
