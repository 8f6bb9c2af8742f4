// The outputs of a cluster replay on their way to `shoalctl replay`: a
// bounded buffer read in pages, like a consumer reads a Kafka partition.
//
// Every row written gets the next index (0, 1, 2, ... in the order the sink
// wrote them). A reader asks for a page from the index of the next row it
// wants; asking from index `k` also says it holds every row before `k`, so
// those are dropped, and a page whose answer was lost is asked for again
// from the same index and comes back the same. The buffer does not refuse
// rows (an output that was caused must not be lost); its cap is the mark
// above which it counts as `full`, and the replay session takes no more
// input while it is (actors/cluster/replay_session.hpp), so it holds at most
// the cap plus the outputs of one input piece. `peak` records how many rows
// it ever held, for tests and status.
//
// Rows are held as a node index and a point, each node's name once, and a
// page is a `row_table` (runtime/core/row_table.hpp): a replay of millions
// of outputs copies no name per row.
//
// Written by one sink actor and read by the member actor, on different
// threads: every member function locks.

#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "caf/expected.hpp"

#include "runtime/core/row_table.hpp"
#include "runtime/io/output_sink.hpp"

namespace shoal {

/// Limits of a replay's output buffer and of the pages it is read in.
struct page_limits {
  /// Rows held above which the buffer is full.
  size_t cap_rows = 256 * 1024;
  /// The most rows in one page.
  size_t page_rows = 64 * 1024;
  /// About the most bytes in one page (at least one row is always sent).
  size_t page_bytes = 4 * 1024 * 1024;
};

class page_buffer : public output_sink {
public:
  explicit page_buffer(page_limits limits);

  void write(const std::string& node, point p) override;

  void write_points(const std::string& node, const point* ps,
                    size_t n) override;

  caf::error flush() override;

  /// One page: rows `first`, `first + 1`, ... in write order.
  struct page {
    uint64_t first = 0;
    row_table rows;
  };

  /// Drops the rows before `next` and returns a page from `next` (empty
  /// when no row from `next` was written yet); an error if rows before
  /// `next` were dropped already or `next` is past the last row written.
  caf::expected<page> take(uint64_t next);

  /// The index the next row written gets: rows written so far.
  uint64_t end() const;

  /// Rows held now (written and not dropped).
  size_t held() const;

  /// The most rows ever held at once.
  size_t peak() const;

  /// Whether the buffer holds at least its cap.
  bool full() const;

  const page_limits& limits() const noexcept {
    return limits_;
  }

private:
  page_limits limits_;
  mutable std::mutex mtx_;
  /// A row: its node (an index into `names_`) and its output.
  struct held_row {
    uint32_t name;
    point p;
  };

  /// The index of `node` in `names_`, added if new.
  uint32_t intern(const std::string& node);

  std::vector<std::string> names_;
  std::unordered_map<std::string, uint32_t> index_;
  /// Rows `first_`, `first_ + 1`, ... not dropped yet.
  std::deque<held_row> rows_;
  uint64_t first_ = 0;
  size_t peak_ = 0;
};

} // namespace shoal
