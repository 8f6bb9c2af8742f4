// A check on what a peer sends to a member port, before CAF reads it.
//
// CAF 0.17's binary actor protocol (BASP) frames every message as a 32-byte
// header followed by `payload_len` bytes, and CAF allocates the payload
// buffer as soon as it has read the header, trusting the length. One
// 32-byte header claiming 2 GiB made a member allocate 2 GiB before any
// handshake. `basp_guard` follows the frames of one connection as the bytes
// arrive and refuses the connection, before CAF sees the header, when:
// the first frame is not a handshake, a frame's operation is unknown, a
// handshake frame is longer than `handshake_limit`, or any frame is longer
// than `message_limit`.
//
// It also refuses a message that names a type CAF 0.17.6 cannot decode
// safely: its variants (`config_value` and the stream messages, which
// Shoal never sends) throw instead of failing on a bad tag, and the throw
// takes the whole process down (found by the `member` fuzz target). Type
// names travel as plain text ("@<>+@config_value"), nested messages
// included, so the guard looks for those names in the payload of every
// message frame before CAF has it.
//
// It only reads the bytes it is given (any split is fine) and keeps under
// 64 bytes of state. One guard per connection, for one thread.

#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace shoal {

/// The largest handshake frame a peer may send (a handshake names a node,
/// the application and the published actor: a few hundred bytes).
constexpr uint32_t basp_handshake_limit = 64 * 1024;

/// The largest message between members after the handshake. It bounds what
/// one peer can make a member allocate; an applied graph with its model
/// files (capped well below this) and a replay's reply fit.
constexpr uint32_t basp_message_limit = 1024u * 1024u * 1024u;

class basp_guard {
public:
  explicit basp_guard(uint32_t handshake_limit = basp_handshake_limit,
                      uint32_t message_limit = basp_message_limit);

  /// Follows `n` more bytes from the peer. Returns an empty string while
  /// they are acceptable, else why the connection must close (it then stays
  /// refused).
  std::string feed(const char* data, size_t n);

  /// Whether the peer's handshake frame arrived whole.
  bool handshaken() const {
    return handshaken_;
  }

private:
  std::string check_header() const;
  std::string scan_payload(const char* data, size_t n);

  std::array<unsigned char, 32> header_{};
  size_t header_fill_ = 0;
  uint64_t payload_left_ = 0;
  bool in_handshake_ = false;
  /// Whether the current payload is a message's (scanned for type names).
  bool in_message_ = false;
  /// Longest unsafe type name less one: what a read may end in the middle
  /// of.
  static constexpr size_t tail_keep = 15;
  /// The end of the payload read so far, for names split across reads.
  std::array<char, tail_keep> tail_{};
  size_t tail_size_ = 0;
  bool handshaken_ = false;
  uint32_t handshake_limit_;
  uint32_t message_limit_;
  std::string refused_;
};

} // namespace shoal
