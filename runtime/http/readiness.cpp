#include "runtime/http/readiness.hpp"

#include <cstdio>

namespace shoal {

namespace {

readiness not_ready(std::string why) {
  return readiness{false, "not ready: " + std::move(why)};
}

std::string seconds(int64_t ns) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f s", static_cast<double>(ns) / 1e9);
  return buf;
}

/// What a source lacks, or nothing.
const char* source_problem(const source_readiness& x) {
  if (!x.started)
    return "is not started";
  if (!x.connected)
    return "is not connected";
  if (!x.subscribed)
    return "is not subscribed";
  return nullptr;
}

} // namespace

readiness decide_readiness(const readiness_facts& facts) {
  if (facts.member_down) {
    auto why = std::string{"member actor is down"};
    if (!facts.member_down_reason.empty())
      why += " (" + facts.member_down_reason + ")";
    return not_ready(std::move(why));
  }
  if (!facts.status_age_ns)
    return not_ready("starting (no status yet)");
  if (*facts.status_age_ns > facts.max_status_age_ns)
    return not_ready("status is stale (last refreshed "
                     + seconds(*facts.status_age_ns) + " ago)");
  if (!facts.member.joined)
    return not_ready("joining the cluster");
  if (!facts.member.deployed)
    return not_ready("graph not deployed");
  std::string missing;
  for (auto& src : facts.sources) {
    if (auto problem = source_problem(src)) {
      if (!missing.empty())
        missing += "; ";
      missing += src.label + " " + problem;
    }
  }
  if (!missing.empty())
    return not_ready(std::move(missing));
  return readiness{true, {}};
}

} // namespace shoal
