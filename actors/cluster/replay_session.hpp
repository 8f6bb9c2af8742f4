// A replay session of a member actor (actors/cluster/member_actor.hpp):
// `shoalctl replay` streams a file into the running cluster graph as one
// more source and gets the outputs up to the file's end.
//
// One session at a time per member, owned by `member_state::replay` and
// changed only in replay_session.cpp. `start_replay` puts a sink on every
// emitting node and a replay source on every sensor, then starts the
// source. At end of file the source detaches with the file's largest
// timestamp T as its last watermark (`until_atom`, passed on to the sink)
// and reports; the sink collects until every emitting node passed T and
// reports `done_atom`. Once both are done the rows go to the client. The
// graph runs on throughout. A deployment change while it runs re-syncs the
// sink to the new emitting nodes (`sync_replay_sink`); a member that leaves
// fails it (`fail_replay`): its nodes restart cold. Runs in the member
// actor.
//
// Messages handled:
//   (replay_atom, std::string csv)       -> std::vector<output_row>
//   (report_atom, name, ingest_counts, latency, read_error)
//                                        from the replay source
//   (until_atom, int64_t t)              from the replay source
//   (caf::ok_atom)                       the sink confirmed a sync
//   (done_atom, uint64_t, caf::error)    from the replay sink

#pragma once

#include <memory>
#include <string>

#include "caf/actor.hpp"
#include "caf/message_handler.hpp"
#include "caf/response_promise.hpp"

#include "actors/cluster/member_self.hpp"
#include "runtime/io/output_sink.hpp"

namespace shoal {

struct replay_session {
  caf::response_promise rp;
  std::shared_ptr<memory_sink> out;
  caf::actor sink;
  caf::actor source;
  bool source_done = false;
  bool sink_done = false;
  std::string error;
};

/// The replay messages above.
caf::message_handler replay_handlers(member_self self);

/// Ends the replay under way, if any, with the error `why`.
void fail_replay(member_self self, const std::string& why);

/// Tells the sink of the replay under way, if any, the emitting nodes of
/// the graph as it is now (nodes added or replaced while it runs).
void sync_replay_sink(member_self self);

} // namespace shoal
