#include "apps/shoalctl/ctl_rejects.hpp"

#include <cstdio>

#include "caf/all.hpp"

namespace shoal {

std::vector<member_rejects> ask_rejects(caf::scoped_actor& self,
                                        const std::vector<member_info>& members,
                                        std::chrono::milliseconds timeout) {
  std::vector<member_rejects> out;
  for (auto& m : members)
    self->request(m.handle, timeout, reject_atom_v)
      .receive(
        [&](reject_log& x) {
          out.emplace_back(m.name, std::move(x));
        },
        [](caf::error&) {});
  return out;
}

nlohmann::json rejects_json(const std::vector<member_rejects>& xs) {
  auto out = nlohmann::json::array();
  for (auto& [member, log] : xs) {
    auto reasons = nlohmann::json::array();
    for (auto& r : log.reasons)
      reasons.push_back({{"source", r.source},
                         {"reason", r.reason},
                         {"text", r.text},
                         {"sensor", r.sensor},
                         {"origin", r.origin},
                         {"example", r.example},
                         {"first", rfc3339_ms(r.first_ns)},
                         {"count", r.count}});
    auto unknown = nlohmann::json::array();
    for (auto& u : log.unknown)
      unknown.push_back({{"name", u.name}, {"count", u.count}});
    out.push_back({{"member", member},
                   {"reasons", std::move(reasons)},
                   {"other_reasons", log.other_reasons},
                   {"unknown_sensors", std::move(unknown)},
                   {"other_unknown", log.other_unknown}});
  }
  return out;
}

void print_rejects(const std::vector<member_rejects>& xs) {
  bool any = false;
  for (auto& x : xs)
    any = any || !x.second.empty();
  if (!any)
    return;
  std::printf("rejected input (first of each reason):\n");
  for (auto& [member, log] : xs) {
    for (auto& r : log.reasons) {
      std::printf("  %s %s %s x%llu since %s: %s\n", member.c_str(),
                  r.source.c_str(), r.reason.c_str(),
                  static_cast<unsigned long long>(r.count),
                  rfc3339_ms(r.first_ns).c_str(), r.text.c_str());
      if (!r.origin.empty() || !r.example.empty())
        std::printf("      %s%s%s\n", r.origin.c_str(),
                    r.origin.empty() || r.example.empty() ? "" : ": ",
                    r.example.c_str());
    }
    if (log.other_reasons > 0)
      std::printf("  %s %llu more rejected for other reasons\n", member.c_str(),
                  static_cast<unsigned long long>(log.other_reasons));
    if (log.unknown.empty())
      continue;
    std::printf("  %s unknown sensors:", member.c_str());
    for (auto& u : log.unknown)
      std::printf(" %s (%llu)", u.name.c_str(),
                  static_cast<unsigned long long>(u.count));
    if (log.other_unknown > 0)
      std::printf(" and %llu samples of other names",
                  static_cast<unsigned long long>(log.other_unknown));
    std::printf("\n");
  }
}

} // namespace shoal
