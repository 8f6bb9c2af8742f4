#include "apps/shoal-node/summary.hpp"

#include <algorithm>
#include <cinttypes>

namespace shoal {

namespace {

/// Failing nodes listed by name; the rest only counted.
constexpr size_t max_listed_failures = 20;

/// What to check when every sample was rejected for `why`.
const char* reject_hint(reject_reason why) {
  switch (why) {
    case reject_reason::malformed:
      return "rows that do not parse: `sensor,ts,value` with ts in integer "
             "nanoseconds since the epoch";
    case reject_reason::unknown_sensor:
      return "no sensor of the graph is named in the input";
    case reject_reason::non_finite: return "values that are NaN or infinite";
    case reject_reason::late:
      return "behind the watermark: the rows are out of time order by more "
             "than --allowed-lateness-ns";
    case reject_reason::out_of_order:
      return "not after their sensor's last sample";
  }
  return "";
}

} // namespace

void print_summary(std::FILE* out, const graph_spec& g,
                   const std::string& input, const replay_summary& s,
                   size_t threads) {
  size_t counts[3] = {0, 0, 0};
  for (auto& n : g.nodes)
    ++counts[static_cast<int>(n.kind)];
  std::fprintf(out,
               "shoal-node: replayed %s through %zu nodes (%zu sensors, %zu "
               "features, %zu models) on %zu threads\n",
               input.c_str(), g.nodes.size(), counts[0], counts[1], counts[2],
               threads);
  std::fprintf(out, "  samples:  %" PRIu64 " accepted, %" PRIu64 " rejected",
               s.ingest.accepted, s.ingest.rejected_total());
  const char* sep = " (";
  for (size_t r = 0; r < reject_reason_count; ++r) {
    std::fprintf(out, "%s%s %" PRIu64, sep,
                 to_string(static_cast<reject_reason>(r)),
                 s.ingest.rejected[r]);
    sep = ", ";
  }
  std::fprintf(out, ")\n");
  if (!s.malformed_lines.empty()) {
    std::fprintf(out, "  malformed rows at lines:");
    for (auto line : s.malformed_lines)
      std::fprintf(out, " %" PRIu64, line);
    if (s.ingest[reject_reason::malformed] > s.malformed_lines.size())
      std::fprintf(out, " ...");
    std::fprintf(out, "\n");
  }
  node_counts total;
  std::vector<const std::pair<std::string, node_counts>*> failing;
  for (auto& kvp : s.nodes) {
    total.firings += kvp.second.firings;
    total.outputs += kvp.second.outputs;
    total.errors += kvp.second.errors;
    if (kvp.second.errors > 0)
      failing.push_back(&kvp);
  }
  std::fprintf(out,
               "  firings:  %" PRIu64 ", outputs %" PRIu64 " (%" PRIu64
               " emitted), errors %" PRIu64 "\n",
               total.firings, total.outputs, s.outputs, total.errors);
  std::sort(failing.begin(), failing.end(), [](auto* x, auto* y) {
    return x->second.errors > y->second.errors;
  });
  for (size_t i = 0; i < failing.size() && i < max_listed_failures; ++i)
    std::fprintf(out, "  errors in %s: %" PRIu64 ", last: %s\n",
                 failing[i]->first.c_str(), failing[i]->second.errors,
                 failing[i]->second.last_error.c_str());
  if (failing.size() > max_listed_failures)
    std::fprintf(out, "  ... and %zu more failing nodes\n",
                 failing.size() - max_listed_failures);
  if (auto why = why_no_outputs(g, s); !why.empty())
    std::fprintf(out, "  no outputs: %s\n", why.c_str());
  auto secs = s.seconds > 0 ? s.seconds : 1e-9;
  auto offered = s.ingest.accepted + s.ingest.rejected_total();
  std::fprintf(out, "  time:     %.3f s, %.0f samples/s, %.0f firings/s\n",
               s.seconds, static_cast<double>(offered) / secs,
               static_cast<double>(total.firings) / secs);
}

std::string why_no_outputs(const graph_spec& g, const replay_summary& s) {
  if (s.outputs > 0)
    return {};
  auto rejected = s.ingest.rejected_total();
  if (s.ingest.accepted == 0 && rejected == 0)
    return "the input has no samples";
  if (s.ingest.accepted == 0) {
    auto text = "all " + std::to_string(rejected) + " samples were rejected:";
    const char* sep = " ";
    for (size_t r = 0; r < reject_reason_count; ++r) {
      if (s.ingest.rejected[r] == 0)
        continue;
      auto why = static_cast<reject_reason>(r);
      text += sep + std::string{to_string(why)} + " "
              + std::to_string(s.ingest.rejected[r]) + " (" + reject_hint(why)
              + ")";
      sep = ", ";
    }
    return text;
  }
  if (std::none_of(g.nodes.begin(), g.nodes.end(), [](const node_spec& n) {
        return n.emit;
      }))
    return "no node of the graph has `emit = true`, and only emitted "
           "nodes are written";
  uint64_t firings = 0;
  uint64_t errors = 0;
  for (auto& kvp : s.nodes) {
    firings += kvp.second.firings;
    errors += kvp.second.errors;
  }
  if (firings == 0)
    return "no feature or model fired: a node fires once every input it "
           "needs has a sample (docs/semantics.md); does the input name the "
           "sensors the emitted nodes need?";
  if (errors == firings)
    return "every firing failed (errors above)";
  return "the emitted nodes never fired or produced a value; the others "
         "did";
}

} // namespace shoal
