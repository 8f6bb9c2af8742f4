#include "runtime/http/status_board.hpp"

namespace shoal {

status_board::status_board(std::chrono::milliseconds stale_after)
  : start_(clock::now()), stale_after_(stale_after) {
  // nop
}

status_model status_board::snapshot() const {
  std::unique_lock<std::mutex> guard{mtx_};
  auto copy = model_;
  copy.version = version_;
  copy.commit = commit_;
  copy.history = history_.points();
  guard.unlock();
  copy.uptime_s = std::chrono::duration<double>(clock::now() - start_).count();
  copy.process = read_process_stats();
  return copy;
}

void status_board::set_build(std::string version, std::string commit) {
  std::lock_guard<std::mutex> guard{mtx_};
  version_ = std::move(version);
  commit_ = std::move(commit);
}

void status_board::store(status_model model, member_readiness member) {
  auto now = clock::now();
  auto unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
  std::lock_guard<std::mutex> guard{mtx_};
  history_.record(unix_ms, model.totals, model.latency);
  model_ = std::move(model);
  member_ = std::move(member);
  refreshed_ = now;
}

void status_board::member_down(std::string reason) {
  std::lock_guard<std::mutex> guard{mtx_};
  down_ = true;
  down_reason_ = std::move(reason);
}

readiness_facts status_board::facts(clock::time_point now) const {
  readiness_facts f;
  f.max_status_age_ns
    = std::chrono::duration_cast<std::chrono::nanoseconds>(stale_after_)
        .count();
  std::lock_guard<std::mutex> guard{mtx_};
  f.member_down = down_;
  f.member_down_reason = down_reason_;
  if (refreshed_)
    f.status_age_ns
      = std::chrono::duration_cast<std::chrono::nanoseconds>(now - *refreshed_)
          .count();
  f.member = member_;
  return f;
}

} // namespace shoal
