// The bytes of a file that a node names (a model file), carried with the
// node so that the node is built from them and never from the file.
//
// A `file_content` is a value whose bytes are shared and immutable: copies
// of a node spec, and the nodes that name the same file (read once where
// the graph is loaded), hold one buffer. Its fingerprint is a 64-bit hash
// of the bytes, computed from them wherever they arrive; equality compares
// the bytes themselves. Over the network a graph carries each distinct
// content once (see `graph_spec`'s `inspect`). Immutable, so safe to share
// between threads.

#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "caf/error.hpp"
#include "caf/meta/load_callback.hpp"

namespace shoal {

class file_content {
public:
  file_content() = default;

  /// Holds `bytes` (an empty string counts as content: an empty file).
  explicit file_content(std::string bytes);

  /// Whether no bytes are held (the node has no content).
  bool empty() const {
    return buf_ == nullptr;
  }

  /// The bytes; an empty string when none are held.
  const std::string& bytes() const;

  /// The shared buffer, null when none is held.
  const std::shared_ptr<const std::string>& buffer() const {
    return buf_;
  }

  /// A hash of the bytes; 0 when none are held.
  uint64_t fingerprint() const {
    return fingerprint_;
  }

  /// Whether both hold the same bytes, or neither holds any.
  friend bool operator==(const file_content& x, const file_content& y);

  friend bool operator!=(const file_content& x, const file_content& y) {
    return !(x == y);
  }

private:
  std::shared_ptr<const std::string> buf_;
  uint64_t fingerprint_ = 0;
};

/// The 64-bit fingerprint of `bytes` that `file_content` keeps.
uint64_t content_fingerprint(const std::string& bytes);

/// On the wire a content is its bytes; the fingerprint is computed again
/// from them on arrival, never taken from the sender.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, file_content& x) {
  if constexpr (Inspector::writes_state) {
    std::string bytes;
    return f(bytes, caf::meta::load_callback([&]() -> caf::error {
               x = file_content{std::move(bytes)};
               return caf::none;
             }));
  } else {
    return f(x.bytes());
  }
}

} // namespace shoal
