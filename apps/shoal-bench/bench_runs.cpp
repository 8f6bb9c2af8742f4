#include "apps/shoal-bench/bench_runs.hpp"

#include <chrono>

#include "actors/deploy/local_replay.hpp"
#include "runtime/io/csv.hpp"
#include "runtime/semantics/reference_evaluator.hpp"

namespace shoal {

namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

/// Sums the counters of every node.
void add_up(run_figures& r) {
  for (const auto& c : r.nodes) {
    r.firings += c.firings;
    r.outputs += c.outputs;
    r.errors += c.errors;
  }
}

} // namespace

caf::expected<run_figures>
bench_limit(const graph_spec& g, const sample_generator& gen,
            const std::vector<synthetic_sample>& samples) {
  auto ev = reference_evaluator::make(g);
  if (!ev)
    return std::move(ev.error());
  run_figures r;
  r.log = std::make_shared<output_log>(g);
  auto log = r.log;
  ev->set_output_sink([log](const std::string& node, int64_t ts, double value) {
    log->add(node, ts, value);
  });
  const auto& names = gen.sensor_names();
  auto start = clock_type::now();
  for (const auto& s : samples)
    ev->offer(names[s.sensor], s.ts, s.value);
  ev->finish();
  r.seconds = seconds_since(start);
  auto res = ev->take_result();
  r.samples = res.ingest.accepted;
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (g.nodes[i].kind != node_kind::sensor)
      r.nodes.push_back(std::move(res.nodes[i]));
  add_up(r);
  return r;
}

caf::expected<run_figures> bench_replay(const graph_spec& g,
                                        const std::string& csv_path,
                                        size_t threads, bool fuse,
                                        size_t cell_groups) {
  auto input = sample_reader::open(csv_path);
  if (!input)
    return std::move(input.error());
  run_figures r;
  r.log = std::make_shared<output_log>(g);
  run_options opts;
  opts.threads = threads;
  opts.fuse = fuse;
  opts.cell_groups = cell_groups;
  auto summary
    = run_replay(g, std::make_shared<sample_reader>(std::move(*input)),
                 std::make_shared<log_sink>(r.log), opts);
  if (!summary)
    return std::move(summary.error());
  r.samples = summary->ingest.accepted;
  r.seconds = summary->seconds;
  for (auto& entry : summary->nodes)
    r.nodes.push_back(std::move(entry.second));
  add_up(r);
  return r;
}

bool same_run(run_figures& x, run_figures& y, std::string& why) {
  if (x.samples != y.samples) {
    why = "accepted " + std::to_string(x.samples) + " samples against "
          + std::to_string(y.samples);
    return false;
  }
  if (x.nodes.size() != y.nodes.size()) {
    why = "counters of " + std::to_string(x.nodes.size()) + " nodes against "
          + std::to_string(y.nodes.size());
    return false;
  }
  for (size_t i = 0; i < x.nodes.size(); ++i) {
    const auto& a = x.nodes[i];
    const auto& b = y.nodes[i];
    if (a.firings != b.firings || a.outputs != b.outputs
        || a.errors != b.errors) {
      why = "the counters of derived node #" + std::to_string(i) + " differ";
      return false;
    }
  }
  if (!x.log || !y.log) {
    why = "a run kept no outputs";
    return false;
  }
  return equal(*x.log, *y.log, why);
}

} // namespace shoal
