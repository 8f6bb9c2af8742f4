// The last status of a member and what it said about its readiness, shared
// between the actor that refreshes them and the HTTP thread.
//
// The HTTP server calls its providers on a thread of its own, so they must
// not talk to actors: the status collector (actors/cluster/status_collector)
// `store`s each refresh here, with the time it arrived, and tells of the
// member actor's exit (`member_down`); the HTTP thread takes copies
// (`snapshot`, which also sets the uptime) and the readiness facts as of a
// given time (`facts`), in which a refresh older than `stale_after` reads as
// stale (runtime/http/readiness.hpp). The sources' part of the facts is the
// caller's to add. Each refresh also adds a point to the history of the
// last minutes (runtime/http/status_history.hpp). Thread-safe: every member
// function takes the mutex.

#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "runtime/http/readiness.hpp"
#include "runtime/http/status_history.hpp"
#include "runtime/http/status_model.hpp"

namespace shoal {

class status_board {
public:
  using clock = std::chrono::steady_clock;

  /// Five status periods of one second: a refresh that waits its full
  /// second for a member and another for the graph hosts is still fresh.
  static constexpr std::chrono::milliseconds default_stale_after{5000};

  explicit status_board(std::chrono::milliseconds stale_after
                        = default_stale_after);

  /// A copy of the last status, with `uptime_s` as of now and the history
  /// of the refreshes.
  status_model snapshot() const;

  /// Stores a refresh that arrived now: the status and what the member
  /// said about its readiness; adds it to the history.
  void store(status_model model, member_readiness member);

  /// The member actor exited with `reason`; it will answer no more.
  void member_down(std::string reason);

  /// The build every snapshot names (`shoal_build_info`).
  void set_build(std::string version, std::string commit);

  /// The readiness facts known here, as of `now` (no sources).
  readiness_facts facts(clock::time_point now) const;

  readiness_facts facts() const {
    return facts(clock::now());
  }

private:
  mutable std::mutex mtx_;
  status_model model_;
  status_history history_;
  member_readiness member_;
  std::optional<clock::time_point> refreshed_;
  bool down_ = false;
  std::string down_reason_;
  std::string version_;
  std::string commit_;
  clock::time_point start_;
  std::chrono::milliseconds stale_after_;
};

} // namespace shoal
