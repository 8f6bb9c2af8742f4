// The deadline of shoalctl (SPEC section 9): every request to a member,
// connecting included, is answered within `--timeout S` seconds (default
// 30) or shoalctl prints which member and which command did not answer and
// exits 1. Part of shoalctl (ctl_command.hpp); used by its commands from the
// main thread only.

#pragma once

#include <chrono>
#include <string>

#include "caf/actor.hpp"
#include "caf/error.hpp"
#include "caf/expected.hpp"
#include "caf/io/middleman_actor.hpp"
#include "caf/scoped_actor.hpp"

#include "runtime/io/net_address.hpp"

namespace shoal {

/// The member shoalctl talks to and how long it waits for each answer.
struct ctl_target {
  net_address address;
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
  /// How to reach members (actors/net/member_transport.hpp); CAF's plain
  /// middleman when null.
  caf::io::middleman_actor transport;
};

/// Parses the `--timeout` operand: seconds, positive, fractions allowed.
caf::expected<std::chrono::milliseconds> parse_ctl_timeout(const char* text);

/// Connects to the member actor at `to.address`, waiting at most
/// `to.timeout` for the handshake (a port that accepts and never answers
/// would otherwise hold shoalctl forever).
caf::expected<caf::actor> connect_member(caf::scoped_actor& self,
                                         const ctl_target& to);

/// Whether `err` says that an answer did not come within the deadline.
bool is_timeout(const caf::error& err);

/// Prints that `command` failed at `to` (for a timeout: which member did
/// not answer and the deadline) as "shoalctl: COMMAND: ..."; returns 1.
int ctl_failed(caf::scoped_actor& self, const ctl_target& to,
               const std::string& command, const caf::error& err);

} // namespace shoal
