// The actor that replays an input CSV into the sensors (SPEC section 3,
// "Replay of a file").
//
// It reads the file in chunks, applies the source checks and the replay
// watermark rule, and sends each chunk's accepted samples through an
// ingest_router. The file is either one of this process's choosing (its
// reader reads a `file_bytes`) or streamed to it (`replay_options::feed`):
// then the bytes arrive as `chunk_atom` messages, the source reads what
// arrived and waits for more, and acknowledges a piece once the pieces
// before it were read, so that at most about two pieces wait here. It slows
// down while the process's mailbox backlog is high, and, when sensors run
// on other members, reads a chunk only once each of those members took the
// last one in (actors/dataflow/pacing.hpp), so a large file never floods
// memory. At end of file it sends wm_end to every sensor (or, with
// `detach_at_end`, detaches from them: see replay_options) and `(report_atom,
// name, ingest_counts, malformed_lines, read_error)` to its monitor (read_error
// empty unless reading failed), where `ingest_counts.accepted` counts samples
// that passed the source (the sensors count out-of-order ones).
//
// Messages handled:
//   (start_atom)                          reads the next chunk
//   (chunk_atom, std::string bytes, bool last) -> ok_atom
//                                         more of a streamed input (`last`:
//                                         its end follows)
//   (src_need_atom, int64_t ts, uint32_t i) from sensor i
//   (swap_atom, actor from, actor to)     sensor `from` moves to `to`
//                                         (ingest_router::swap_sensor)
//   (ckpt_atom, uint64_t k)               checkpoint round k: after the
//                                         next chunk it reads, it tells its
//                                         monitor where it is
//                                         (`replay_position`) and sends the
//                                         chunk with mark k to every sensor
//                                         (actors/dataflow/checkpoint_marks.hpp);
//                                         if no chunk comes within
//                                         `mark_patience` (a streamed input
//                                         ran dry), it marks at once.
//                                         Reading goes on: sensors and
//                                         nodes hold what follows a mark
//                                         until they took their part
//   (mark_atom, uint64_t k)               to itself: `mark_patience` since
//                                         round k was asked for

#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/response_promise.hpp"
#include "caf/stateful_actor.hpp"

#include "actors/sources/ingest_router.hpp"
#include "runtime/core/metrics.hpp"
#include "runtime/io/byte_source.hpp"
#include "runtime/io/csv.hpp"
#include "runtime/semantics/source_filter.hpp"

namespace shoal {

/// How long a replay source waits for a chunk to carry a round's mark
/// before it sends the mark alone. A mark on data reaches each node with
/// the data; alone, it wakes every node once more
/// (actors/dataflow/checkpoint_marks.hpp). A streamed replay's source is
/// mostly waiting for its next piece when a round begins, and the piece
/// came 90 to 280 ms later in a loaded cluster replay on 2 cores (with 50
/// ms every mark went alone); waiting only delays the round, not the
/// replay.
constexpr std::chrono::milliseconds mark_patience{500};

struct replay_options {
  int64_t allowed_lateness_ns = 0;
  /// Rows read between two flushes.
  size_t chunk_rows = 65536;
  /// Pause reading while more batches than this wait in mailboxes.
  int64_t max_backlog = 50000;
  /// Leave the graph running at end of file (a cluster replay): instead of
  /// wm_end, every sensor gets the file's largest accepted timestamp T as
  /// the source's last watermark and detaches the source, and the monitor
  /// gets `(until_atom, T)` before the report.
  bool detach_at_end = false;
  /// The live counters: rejected samples, sent batches and the backlog it
  /// paces on. It must outlive the source.
  metrics* live = &process_metrics();
  /// The source of the reader when the input is streamed to this source:
  /// pieces pushed by `chunk_atom` messages. Null for a file.
  std::shared_ptr<chunk_feed> feed;
  /// Go on from where an earlier source of the same input marked a
  /// checkpoint round (`replay_position::encode`; the reader starts there
  /// too); empty: from the start.
  std::string resume;
};

/// Where a replay source was when it marked a checkpoint round: its
/// reader's position, its filter's state and the malformed lines so far.
/// The source sends it to its monitor as
/// `(ckpt_atom, uint64_t k, uint64_t offset, std::string position)`.
struct replay_position {
  read_position at;
  std::string filter;
  std::vector<uint64_t> malformed_lines;

  std::string encode() const;

  /// False if `bytes` is no position.
  bool decode(const std::string& bytes);
};

struct replay_source_state {
  static inline const char* name = "shoal.replay";

  std::string label;
  std::shared_ptr<sample_reader> reader;
  std::shared_ptr<const sensor_directory> dir;
  std::unique_ptr<source_filter> filter;
  std::unique_ptr<ingest_router> router;
  std::vector<uint64_t> malformed_lines;
  replay_options opts;
  caf::actor monitor;
  int paused = 0;
  /// Why the file ended early, if it did (empty otherwise).
  std::string read_error;
  /// A streamed input ran dry: reading resumes when a piece arrives.
  bool waiting = false;
  /// The acknowledgement of the piece last pushed, held while the pieces
  /// before it are unread (the feed holds more than `held_bytes`).
  caf::response_promise held;
  size_t held_bytes = 0;
  /// The checkpoint round asked for and not marked yet, or 0: its mark
  /// goes on the next chunk (see ckpt_atom).
  uint64_t want = 0;
  /// The newest round marked.
  uint64_t marked = 0;
  /// Members that have not answered the pace request of the last chunk
  /// yet (actors/dataflow/pacing.hpp), and whether a read waits for them.
  int pacing = 0;
  bool pace_due = false;
};

/// Replays `reader` (opened, header checked) into `sensors`, indexed like
/// `dir`; `key` identifies this source at the sensors, which must have been
/// attached to it with that key.
caf::behavior replay_source(caf::stateful_actor<replay_source_state>* self,
                            std::string label,
                            std::shared_ptr<sample_reader> reader,
                            std::shared_ptr<const sensor_directory> dir,
                            std::vector<caf::actor> sensors, uint64_t key,
                            replay_options opts, caf::actor monitor);

} // namespace shoal
