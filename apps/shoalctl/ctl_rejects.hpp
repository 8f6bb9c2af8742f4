// The "rejected input" part of `shoalctl status`: why each member's live
// sources rejected input (the first distinct reasons with an example, and
// the unknown sensor names; runtime/core/reject_log.hpp), asked of every
// member (actors/cluster/member_status.hpp, `reject_atom`). Part of
// shoalctl (ctl_command.hpp); main thread only.

#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "caf/scoped_actor.hpp"

#include "actors/messages.hpp"
#include "runtime/core/reject_log.hpp"

namespace shoal {

/// One member's rejected input, by member name.
using member_rejects = std::pair<std::string, reject_log>;

/// Asks each of `members` for its rejected input, waiting at most
/// `timeout` for each; a member that does not answer is left out.
std::vector<member_rejects> ask_rejects(caf::scoped_actor& self,
                                        const std::vector<member_info>& members,
                                        std::chrono::milliseconds timeout);

/// `-o json`: an array with an object per member (`member`, then the
/// fields of `/status`'s `rejected_input`, docs/http.md).
nlohmann::json rejects_json(const std::vector<member_rejects>& xs);

/// The text form: nothing when no member rejected anything; otherwise a
/// "rejected input:" section with a line per reason and the unknown
/// sensor names.
void print_rejects(const std::vector<member_rejects>& xs);

} // namespace shoal
