// A replay session of a member actor (actors/cluster/member_actor.hpp):
// `shoalctl replay` streams a file into the running cluster graph as one
// more source and gets the outputs up to the file's end.
//
// The file travels as content (SPEC section 9): shoalctl reads it where it
// runs and sends it in pieces (`replay_chunk`, `replay_piece_bytes` of
// whole lines each), one at a time, each acknowledged (`replay_ack`) once the
// replay source took it; the member never opens a path. Neither side holds the
// whole file: shoalctl one piece, the member about two. Each piece carries
// its sequence number and byte offset, checked here, and the session keeps
// where the next one starts, so that a replay can later be resent from a
// recorded position. The first piece must hold the header line.
//
// One session at a time per member, owned by `member_state::replay` and
// changed only in replay_session.cpp. The first chunk opens it: a sink on
// every emitting node and a replay source on every sensor, reading the
// pieces with the same CSV reader and rules as a file (header check, 64 KiB
// lines, malformed rows by line number). At the end of the input the source
// detaches with the input's largest timestamp T as its last watermark
// (`until_atom`, passed on to the sink) and reports; the sink collects until
// every emitting node passed T and reports `done_atom`. Once both are done,
// the rows answer the client's `done_atom` request. The graph runs on
// throughout. A deployment change while it runs re-syncs the sink to the
// new emitting nodes (`sync_replay_sink`); a member that leaves fails it
// (`fail_replay`): its nodes restart cold, and the client's next request
// gets the reason. A client that goes away (`replay_client_down`) ends it.
// Runs in the member actor.
//
// Messages handled:
//   (replay_atom, std::string name, replay_chunk first) -> replay_ack
//                                        opens a session; `name` only names
//                                        the input in messages
//   (replay_atom, replay_chunk next)     -> replay_ack
//   (replay_atom, fetch_atom, uint64_t session, uint64_t next)
//                                        -> replay_page from output `next`
//   (replay_atom, fetch_atom, uint64_t session)
//                                        to itself: look again for outputs
//                                        for a waiting fetch
//   (report_atom, name, ingest_counts, latency, read_error)
//                                        from the replay source
//   (until_atom, int64_t t)              from the replay source
//   (caf::ok_atom)                       the sink confirmed a sync
//   (done_atom, uint64_t, caf::error)    from the replay sink

#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/actor_addr.hpp"
#include "caf/message_handler.hpp"
#include "caf/response_promise.hpp"
#include "caf/typed_response_promise.hpp"

#include "actors/cluster/member_self.hpp"
#include "actors/cluster/replay_resume_state.hpp"
#include "actors/messages.hpp"
#include "runtime/core/counters.hpp"
#include "runtime/io/byte_source.hpp"
#include "runtime/io/csv.hpp"
#include "runtime/io/page_buffer.hpp"

namespace shoal {

struct replay_session {
  uint64_t id = 0;
  /// The client that streams the input (monitored).
  caf::actor_addr client;
  /// The outputs not fetched yet, and the index of the next one written.
  std::shared_ptr<page_buffer> out;
  caf::actor sink;
  caf::actor source;
  /// Where the next chunk starts: its sequence number and its byte offset
  /// in the input. Everything before it was taken into the replay.
  uint64_t next_seq = 0;
  uint64_t next_offset = 0;
  /// The last chunk came.
  bool ended = false;
  /// A chunk is with the source, not acknowledged yet: the client's
  /// request, and its acknowledgement. Answered when the source took the
  /// chunk, or by `release_chunk` when the source goes (a source stopped
  /// while it holds a chunk back during a checkpoint round answers
  /// nothing).
  bool in_flight = false;
  caf::typed_response_promise<replay_ack> chunk_rp;
  replay_ack chunk_ack;
  /// What the source accepted and rejected, from its report at the end.
  ingest_counts samples;
  std::vector<uint64_t> malformed_lines;
  bool source_done = false;
  bool sink_done = false;
  /// Why the replay failed, if it did.
  std::string error;
  /// The client's fetch that waits for outputs, and the index of the
  /// first output it wants.
  caf::response_promise fetch_rp;
  uint64_t fetch_next = 0;
  /// Whether that fetch may wait (the input ended) or gets what there is.
  bool fetch_waits = false;
  /// A re-check of the waiting fetch is on its way.
  bool tick_scheduled = false;
  /// The input's name (in messages and the log only).
  std::string name;
  /// When the first chunk came, for the log's `ms=` at the end.
  std::chrono::steady_clock::time_point started;
  /// What it needs to go on from a checkpoint (replay_resume.hpp).
  replay_resume_state resume;
};

struct replay_state {
  /// The session under way (or failed, until its client hears why).
  std::shared_ptr<replay_session> run;
  /// Sessions opened here so far: the last one's id.
  uint64_t opened = 0;
};

/// The replay messages above.
caf::message_handler replay_handlers(member_self self);

/// Starts a replay source for `run` on the sensors of the deployed graph,
/// reading `reader` over `feed` (from `resume`, a `replay_position`, when
/// not empty), attached to every sensor, then reading; the session's
/// source from now on.
void start_replay_source(member_self self, std::shared_ptr<replay_session> run,
                         std::shared_ptr<chunk_feed> feed,
                         std::shared_ptr<sample_reader> reader,
                         std::string resume);

/// The session's source is being replaced (a member died): the chunk it
/// holds, if any, is acknowledged, since the input is kept and goes to the
/// source that resumes from the checkpoint.
void release_chunk(replay_session& run);

/// Ends the replay under way, if any, with the error `why`.
void fail_replay(member_self self, const std::string& why);

/// Tells the sink of the replay under way, if any, the emitting nodes of
/// the graph as it is now (nodes added or replaced while it runs).
void sync_replay_sink(member_self self);

/// The actor `who` went away: if it was streaming the replay under way,
/// the replay ends.
void replay_client_down(member_self self, const caf::actor_addr& who);

} // namespace shoal
