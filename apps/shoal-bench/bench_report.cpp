#include "apps/shoal-bench/bench_report.hpp"

#include <cinttypes>
#include <cmath>
#include <nlohmann/json.hpp>

namespace shoal {

namespace {

using json = nlohmann::ordered_json;

json to_json(const latency_ms& x) {
  return json{{"p50", x.p50}, {"p99", x.p99}, {"p999", x.p999}, {"max", x.max}};
}

json to_json(const throughput& x) {
  return json{{"samples", x.samples}, {"firings", x.firings},
              {"outputs", x.outputs}, {"errors", x.errors},
              {"seconds", x.seconds}, {"firings_per_s", x.firings_per_s()}};
}

/// `n` with thousands separators: 1234567 -> "1,234,567".
std::string grouped(uint64_t n) {
  auto digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0)
      out += ',';
    out += digits[i];
  }
  return out;
}

std::string grouped(double x) {
  return grouped(static_cast<uint64_t>(std::llround(std::max(0.0, x))));
}

void print_run(std::FILE* out, const char* label, const throughput& t) {
  std::fprintf(out, "  %-20s %10.3f %14s %14s\n", label, t.seconds,
               grouped(t.firings_per_s()).c_str(), grouped(t.firings).c_str());
}

} // namespace

std::string to_json(const bench_report& r) {
  json j;
  j["command"] = r.command;
  j["nodes"] = r.nodes;
  j["sensors"] = r.graph.sensors;
  j["features_per_sensor"] = r.graph.features_per_sensor;
  j["models_per_sensor"] = r.graph.models_per_sensor;
  j["layers"] = r.graph.layers;
  j["join_fanin"] = r.graph.join_fanin;
  j["lua_share"] = r.graph.lua_share;
  j["seed"] = r.graph.seed;
  j["threads"] = r.threads;
  j["load_average"] = r.load_average;
  const auto* runs = r.limit ? &*r.limit : (r.replay ? &*r.replay : nullptr);
  if (runs) {
    j["samples"] = r.samples;
    j["sample_rate"] = r.sample_rate;
    j["firings"] = runs->firings;
    j["outputs"] = runs->outputs;
  }
  if (r.limit) {
    j["limit_s"] = r.limit->seconds;
    j["limit_firings_per_s"] = r.limit->firings_per_s();
  }
  if (r.replay) {
    j["replay_s"] = r.replay->seconds;
    j["replay_firings_per_s"] = r.replay->firings_per_s();
  }
  if (r.limit && r.replay && r.limit->firings_per_s() > 0)
    j["replay_vs_limit"] = r.replay->firings_per_s() / r.limit->firings_per_s();
  if (r.outputs_equal) {
    j["outputs_equal"] = *r.outputs_equal;
    if (!*r.outputs_equal)
      j["difference"] = r.difference;
  }
  if (r.live) {
    j["sample_rate"] = r.sample_rate;
    j["live_rate"] = r.live->rate;
    j["lateness_ns"] = r.live->lateness_ns;
    j["latency_ms"] = to_json(r.live->all);
    j["latency_single_ms"] = to_json(r.live->single);
    j["live_samples"] = r.live->samples;
    j["live_seconds"] = r.live->seconds;
    j["live_outputs"] = r.live->outputs;
    j["live_single_outputs"] = r.live->single_outputs;
  }
  if (r.scale) {
    const auto& s = *r.scale;
    j["scale_nodes"] = s.nodes;
    j["scale_actors"] = s.actors;
    if (s.complete())
      j["load_s"] = s.load_s();
    else
      j["sink_error"] = s.sink_error;
    j["build_s"] = s.build_s;
    j["deploy_s"] = s.deploy_s;
    j["sink_s"] = s.sink_s;
    j["shutdown_s"] = s.shutdown_s;
    j["rss_bytes_per_node"] = s.rss_bytes_per_node();
    j["rss_spec_bytes_per_node"] = s.spec_bytes_per_node();
  }
  if (r.limit)
    j["limit"] = to_json(*r.limit);
  if (r.replay)
    j["replay"] = to_json(*r.replay);
  return j.dump();
}

void print_table(std::FILE* out, const bench_report& r) {
  const auto& g = r.graph;
  std::fprintf(out,
               "shoal-bench %s: %s nodes = %s sensors x (1 + %zu features + "
               "%zu models)\n"
               "  models in %zu layers, joins of %zu other sensors; Lua share "
               "%.2f; seed %" PRIu64 "; %zu scheduler threads; load average "
               "%.2f\n",
               r.command.c_str(), grouped(uint64_t{r.nodes}).c_str(),
               grouped(uint64_t{g.sensors}).c_str(), g.features_per_sensor,
               g.models_per_sensor, g.layers, g.join_fanin, g.lua_share, g.seed,
               r.threads, r.load_average);
  if (r.limit || r.replay) {
    std::fprintf(out,
                 "  %s samples at %s samples/s of event time\n\n"
                 "  %-20s %10s %14s %14s\n",
                 grouped(uint64_t{r.samples}).c_str(),
                 grouped(r.sample_rate).c_str(), "run", "seconds", "firings/s",
                 "firings");
  }
  if (r.limit)
    print_run(out, "limit (reference)", *r.limit);
  if (r.replay)
    print_run(out, "replay (actors)", *r.replay);
  if (r.limit && r.replay && r.limit->firings_per_s() > 0)
    std::fprintf(out, "  %-20s %10.3f\n", "replay_vs_limit",
                 r.replay->firings_per_s() / r.limit->firings_per_s());
  if (r.outputs_equal)
    std::fprintf(out, "  outputs equal: %s%s%s\n",
                 *r.outputs_equal ? "yes" : "no",
                 r.difference.empty() ? "" : " - ", r.difference.c_str());
  if (r.live) {
    const auto& l = *r.live;
    std::fprintf(out,
                 "\n  live at %s samples/s for %.1f s (after the warm-up)\n"
                 "  %-20s %10s %9s %9s %9s %9s\n"
                 "  %-20s %10s %9.2f %9.2f %9.2f %9.2f\n"
                 "  %-20s %10s %9.2f %9.2f %9.2f %9.2f\n",
                 grouped(l.rate).c_str(), l.seconds, "latency (ms)", "outputs",
                 "p50", "p99", "p99.9", "max", "all outputs",
                 grouped(l.outputs).c_str(), l.all.p50, l.all.p99, l.all.p999,
                 l.all.max, "single-sensor nodes",
                 grouped(l.single_outputs).c_str(), l.single.p50, l.single.p99,
                 l.single.p999, l.single.max);
  }
  if (r.scale) {
    const auto& s = *r.scale;
    std::fprintf(out, "\n  scale: %s nodes in %s actors\n",
                 grouped(uint64_t{s.nodes}).c_str(),
                 grouped(uint64_t{s.actors}).c_str());
    if (s.complete())
      std::fprintf(out, "    load     %8.2f s\n", s.load_s());
    std::fprintf(out,
                 "    build    %8.2f s      graph spec, validated\n"
                 "    deploy   %8.2f s      spawn and wire every node's "
                 "actor\n",
                 s.build_s, s.deploy_s);
    if (s.complete())
      std::fprintf(out,
                   "    sink     %8.2f s      subscribe a sink to every "
                   "emitting node\n",
                   s.sink_s);
    else
      std::fprintf(out, "    sink     failed after %.2f s: %s\n", s.sink_s,
                   s.sink_error.c_str());
    std::fprintf(out,
                 "    resident %8.0f bytes  per node, %.0f of them the graph "
                 "spec\n"
                 "    shutdown %8.2f s\n",
                 s.rss_bytes_per_node(), s.spec_bytes_per_node(), s.shutdown_s);
  }
}

} // namespace shoal
