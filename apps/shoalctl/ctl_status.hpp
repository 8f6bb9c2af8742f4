// `shoalctl status`: the members with their load, the members down, why
// their live sources rejected input (ctl_rejects.hpp), and every node with
// its member and counters, gathered from a member and every member's graph
// host. Part of shoalctl (ctl_command.hpp).

#pragma once

#include "caf/actor.hpp"
#include "caf/scoped_actor.hpp"

#include "apps/shoalctl/ctl_args.hpp"
#include "apps/shoalctl/ctl_request.hpp"

namespace shoal {

/// Prints the cluster's status as seen by `member` (as one JSON object with
/// `ctl_output::json`; every node, with the samples of sensors and the
/// member addresses in columns of their own, with `ctl_output::wide`); with
/// `checkpoint_only` just the checkpoint figures, without asking the graph
/// hosts for every node's counters (which costs a request per node). Returns
/// the exit code (0, or 1 if the member did not answer within `to.timeout`).
int ctl_status(caf::scoped_actor& self, const caf::actor& member,
               const ctl_target& to, ctl_output output,
               bool checkpoint_only = false);

} // namespace shoal
