// An output_sink that writes every emitted output to InfluxDB 1.x over its
// HTTP API (SPEC section 13).
//
// `write` turns the output into a line of line protocol
// (runtime/io/line_protocol.hpp) and appends it to a buffer of at most
// `buffer` lines (sink_spec); a line that does not fit, or whose value is
// not finite, is dropped and counted. A writer thread of its own sends the
// buffer in batches of at most `batch_points` lines, POST
// /write?db=DB&precision=ns, as soon as a batch is full or its first line
// waited `batch_wait`. A batch stays in the buffer until InfluxDB took it:
// while the database does not answer (or answers with an error it may get
// over, such as 404 for a database not created yet, or 5xx) the writer
// tries the same batch again after a back-off that doubles from
// `backoff_min` up to `backoff_max`, so nothing that fits the buffer is
// lost. A batch InfluxDB refuses for its content (400, 413) is dropped and
// counted, since sending it again cannot help. Every request has a
// deadline (`timeout`). The sink actor never waits for the network:
// `write` and `flush` only take a lock the writer holds for no more than a
// copy. Destroying the sink makes one last bounded attempt to write what is
// buffered, then joins the writer. `write` and `flush` are called by the
// owning sink actor only; `status` and the counters from any thread.

#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "caf/expected.hpp"

#include "runtime/io/io_config.hpp"
#include "runtime/io/io_endpoint.hpp"
#include "runtime/io/output_sink.hpp"

namespace shoal {

class influx_sink : public output_sink, public io_endpoint {
public:
  struct options {
    size_t batch_points = 5000;
    std::chrono::milliseconds batch_wait{100};
    std::chrono::milliseconds backoff_min{100};
    std::chrono::milliseconds backoff_max{5000};
    std::chrono::milliseconds timeout{5000};
  };

  /// Starts the writer for the server and database of `spec`.
  static caf::expected<std::unique_ptr<influx_sink>>
  start(const sink_spec& spec, options opts);

  static caf::expected<std::unique_ptr<influx_sink>>
  start(const sink_spec& spec) {
    return start(spec, options{});
  }

  ~influx_sink() override;

  void write(const std::string& node, point p) override;

  /// Has the writer send what is buffered now; does not wait for it.
  caf::error flush() override;

  endpoint_status status() const override;

  /// Points InfluxDB took.
  uint64_t written() const {
    return written_.load();
  }

  /// Points dropped: buffer full, not finite, or refused by InfluxDB.
  uint64_t dropped() const {
    return dropped_.load();
  }

  /// Points buffered and not written yet.
  size_t buffered() const;

private:
  influx_sink(const sink_spec& spec, options opts);

  /// The writer thread's loop.
  void run();

  /// Sends `body`; none if InfluxDB took it. Sets `refused` when it will
  /// never take it.
  caf::error post(const std::string& body, bool& refused);

  net_address server_;
  std::string target_;
  std::string measurement_;
  size_t capacity_;
  options opts_;
  /// The start of each node's lines (sink actor only).
  std::unordered_map<std::string, std::string> prefixes_;
  std::string line_;

  mutable std::mutex mtx_;
  std::condition_variable cv_;
  std::deque<std::string> lines_;
  bool stop_ = false;
  bool urgent_ = false;
  bool connected_ = false;
  std::string last_error_;

  std::atomic<uint64_t> written_{0};
  std::atomic<uint64_t> dropped_{0};
  std::thread writer_;
};

} // namespace shoal
