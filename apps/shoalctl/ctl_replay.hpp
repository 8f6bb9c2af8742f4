// `shoalctl replay IN.csv --out OUT.csv`: streams a file into the running
// graph and writes the outputs it causes (SPEC section 9: the input travels
// as content). Part of shoalctl (ctl_command.hpp); main thread only.
//
// The file is read here, never by the member: in pieces of whole lines
// (runtime/io/line_pieces.hpp, about 1 MiB), each sent as a `replay_chunk`
// with its sequence number and byte offset, the next one only once the
// member acknowledged the one before (`replay_ack`), so that neither side
// holds the whole file. Every request has the `--timeout` deadline
// (ctl_request.hpp). The outputs come back in pages (`replay_page`), fetched
// after every piece and, after the last one, until a page says `end`; each
// page goes to OUT.csv as it comes (a failed replay removes OUT.csv). When
// the member's output buffer is full it does not take a piece; shoalctl then
// fetches until there is room and sends the same piece again, so that it
// holds one piece and one page at most.

#pragma once

#include <string>

#include "caf/actor.hpp"
#include "caf/scoped_actor.hpp"

#include "apps/shoalctl/ctl_request.hpp"

namespace shoal {

/// Replays the file `in` through `member` in pieces of `piece_bytes` and
/// writes the outputs to `out` ("-": stdin and stdout).
/// Returns the exit code: 0 done, 1 failed (printed as "shoalctl: replay:
/// ...").
int ctl_replay(caf::scoped_actor& self, const caf::actor& member,
               const ctl_target& to, const std::string& in,
               const std::string& out, size_t piece_bytes);

} // namespace shoal
