// The graph side of a member: applying a graph over the members (where its
// nodes go is runtime/cluster/placement.hpp), and replaying a file through
// it. Used by the member actor (actors/cluster/member_actor.hpp) from its
// handlers; every function runs in that actor.

#pragma once

#include <string>
#include <vector>

#include "caf/error.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/response_promise.hpp"
#include "caf/stateful_actor.hpp"

#include "actors/cluster/member_actor.hpp"

namespace shoal {

using member_self = caf::stateful_actor<member_state>*;

/// Sends `xs` to every member but this one (and `except`).
template <class... Ts>
void tell_others(member_self self, const std::string& except, Ts&&... xs) {
  for (auto& [name, e] : self->state.members)
    if (name != self->state.opts.name && name != except)
      self->send(e.info.handle, xs...);
}

/// Deploys `g` (validated) over the current members and delivers a summary
/// to `rp`; on any failure, delivers the error and deploys nothing more.
void apply_graph(member_self self, graph_spec g, caf::response_promise rp);

/// Streams `path` into the deployed graph: a sink on every emitting node, a
/// replay source on every sensor, then start. At end of file the source
/// detaches with the file's largest timestamp T as its last watermark and
/// the sink collects until every emitting node passed T; the rows go to
/// `rp` once `finish_replay` sees both ends done. The graph runs on.
caf::error start_replay(member_self self, const std::string& path,
                        caf::response_promise rp);

/// The deployed graph in Graphviz DOT, a line per element: one cluster per
/// member holding its nodes (sensors as ellipses, features as boxes, models
/// as double octagons), and an edge per `needs` entry.
std::vector<std::string> placed_graph_dot(const member_state& st);

/// Delivers the replay's rows once both its source and its sink are done.
/// The graph keeps running: the replay source detached at its end of file.
void finish_replay(member_self self);

/// Ends the replay under way, if any, with the error `why`.
void fail_replay(member_self self, const std::string& why);

/// Tells the sink of the replay under way, if any, the emitting nodes of
/// the graph as it is now (nodes added or replaced while it runs).
void sync_replay_sink(member_self self);

} // namespace shoal
