// Gathering the reasons of rejected input for a status refresh (issue 17).
//
// Each live source (ingest_source) keeps a reject_log; the member's status
// collector merges its own sources' logs each refresh, hands the result to
// its member actor (which answers `(reject_atom)` for shoalctl status and
// the other members' collectors), and asks every member for the log it was
// last handed, so that `/status` on any member shows every member's
// reasons. Runs in the status collector; owns nothing beyond one gathering.

#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/event_based_actor.hpp"

#include "actors/messages.hpp"
#include "runtime/core/reject_log.hpp"
#include "runtime/http/status_model.hpp"

namespace shoal {

/// What one gathering found: this member's sources merged, and each other
/// member's last merged log by name.
struct gathered_rejects {
  reject_log own;
  std::map<std::string, reject_log> members;
};

/// Asks `sources` and every member but `own_name` for their reject logs,
/// waiting at most `timeout` for each; calls `done` once with what came.
void gather_rejects(caf::event_based_actor* self,
                    const std::vector<caf::actor>& sources,
                    const std::vector<member_info>& members,
                    const std::string& own_name,
                    std::chrono::milliseconds timeout,
                    std::function<void(gathered_rejects&)> done);

/// Puts `why` into `model`'s members (`own_name` gets `why.own`) and hands
/// `why.own` to `member`, this member's actor, for `shoalctl status` and
/// the other members' collectors. Asked rather than sent, so that a member
/// which does not know the message (an older one, a stand-in) answers an
/// error that nothing needs to handle.
void store_rejects(caf::event_based_actor* self, const caf::actor& member,
                   const std::string& own_name, gathered_rejects& why,
                   status_model& model);

} // namespace shoal
