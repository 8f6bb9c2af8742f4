// Flow control of a replay across members: a source waits for the members
// it sends to.
//
// A replay source paces itself on its own process's mailbox backlog
// (runtime/core/metrics.hpp), which counts only batches between actors of
// one process. Its batches to sensors on other members, and all the work
// they cause there, are not in it: a member slower than the source's would
// take in a large file faster than it handles it, in memory. So after each
// chunk the source asks one of its sensors on every other member
// `(pace_atom, int64_t most)`; the sensor handles that after the batches
// the source sent it before (CAF keeps the order of one sender's messages
// to one receiver), and answers `ok_atom` once its own process's backlog
// is at most `most`. The source reads its next chunk once every member
// answered (actors/sources/replay_source.hpp), so a member holds about one
// chunk of the source's samples and its own bounded backlog, like a
// credit of one chunk in Flink's credit-based flow control.
//
// Neither side waits for good: the sensor answers after `pace_patience`
// regardless (its backlog gauge is approximate), and the source reads on
// if the answer does not come within `pace_timeout` or the sensor is gone
// (a failover).

#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "caf/response_promise.hpp"
#include "caf/scheduled_actor.hpp"

#include "actors/messages.hpp"
#include "runtime/core/metrics.hpp"

namespace shoal {

/// How long a sensor may hold a pace request back.
constexpr std::chrono::milliseconds pace_patience{2000};

/// How long a source waits for a member's answer.
constexpr std::chrono::seconds pace_timeout{10};

/// A sensor's pace requests waiting for its process's backlog to fall.
struct pace_waits {
  std::vector<caf::response_promise> waiting;
  int64_t most = 0;
  /// 1 ms polls since the first request waited.
  int polls = 0;
};

/// Answers `(pace_atom, most)` now if the backlog on `live` is at most
/// `most`, or keeps the request in `w` (made on the first) and polls with
/// `(pace_atom)` every millisecond.
template <class Self>
caf::result<caf::ok_atom> pace_request(Self* self,
                                       std::unique_ptr<pace_waits>& w,
                                       const metrics& live, int64_t most) {
  if (live.backlog() <= most && !w)
    return caf::ok_atom_v;
  if (!w) {
    w = std::make_unique<pace_waits>();
    w->most = most;
    self->delayed_send(self, std::chrono::milliseconds(1), pace_atom_v);
  }
  w->most = std::min(w->most, most);
  w->waiting.push_back(self->make_response_promise());
  return caf::delegated<caf::ok_atom>{};
}

/// A poll: answers every waiting request once the backlog is low enough or
/// after `pace_patience`.
template <class Self>
void pace_poll(Self* self, std::unique_ptr<pace_waits>& w,
               const metrics& live) {
  if (!w)
    return;
  auto polls_most = static_cast<int>(pace_patience.count());
  if (live.backlog() > w->most && ++w->polls < polls_most) {
    self->delayed_send(self, std::chrono::milliseconds(1), pace_atom_v);
    return;
  }
  for (auto& rp : w->waiting)
    rp.deliver(caf::ok_atom_v);
  w = nullptr;
}

} // namespace shoal
