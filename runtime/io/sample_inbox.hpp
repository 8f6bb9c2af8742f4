// The hand-over point between network threads and a source actor.
//
// Network threads (an MQTT client's, a TCP listener's) push parsed samples
// and notices of input that did not parse; the source actor drains both every
// tick. Nothing is checked here beyond capacity: the actor applies the
// source checks (SPEC section 3). When `capacity` samples wait, single
// samples (MQTT, which cannot be held back) are refused and counted as
// `overflow`; batches (TCP) are always taken, and a TCP source stops reading
// while the inbox is `full`, so that TCP flow control holds its clients
// back instead. Thread-safe; shared by its producers and its actor.

#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace shoal {

/// One sample as received: the sensor's name, ts and value.
struct inbox_sample {
  std::string sensor;
  int64_t ts = 0;
  double value = 0;
};

/// Input that did not parse: where it came from (a topic, a peer) and why.
struct malformed_notice {
  std::string origin;
  std::string reason;
  /// Inputs this notice stands for (bad elements of one TCP batch).
  uint64_t count = 1;
  /// The start of the offending input, as received (at most
  /// `max_example` bytes; escaped by whoever shows it).
  std::string example;

  static constexpr size_t max_example = 120;
};

class sample_inbox {
public:
  static constexpr size_t default_capacity = size_t{1} << 20;

  explicit sample_inbox(size_t capacity = default_capacity);

  /// Adds a sample; false (and counted as overflow) if the inbox is full.
  bool push(std::string sensor, int64_t ts, double value);

  /// Adds several samples at once (what one TCP read held), even beyond
  /// the capacity; leaves `samples` empty.
  void push(std::vector<inbox_sample>& samples);

  /// Adds a notice of `count` malformed inputs, keeping the start of
  /// `example`; never refused.
  void push_malformed(std::string origin, std::string reason,
                      uint64_t count = 1, std::string_view example = {});

  /// Moves everything waiting into `samples` and `notices` (both cleared
  /// first).
  void drain(std::vector<inbox_sample>& samples,
             std::vector<malformed_notice>& notices);

  /// Whether samples are being refused.
  bool full() const;

  /// Samples waiting for the actor now (its backlog).
  size_t size() const;

  /// Samples refused because the inbox was full, since it was created.
  uint64_t overflow() const;

private:
  mutable std::mutex mtx_;
  size_t capacity_;
  std::vector<inbox_sample> samples_;
  std::vector<malformed_notice> notices_;
  uint64_t overflow_ = 0;
};

} // namespace shoal
