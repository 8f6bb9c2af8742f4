#include "actors/deploy/local_replay.hpp"

#include <chrono>
#include <unordered_map>

#include "caf/all.hpp"

#include "actors/deploy/deployment.hpp"
#include "actors/deploy/system_config.hpp"
#include "actors/messages.hpp"
#include "runtime/core/errc.hpp"

namespace shoal {

caf::expected<replay_summary> run_replay(const graph_spec& g,
                                         std::shared_ptr<sample_reader> input,
                                         std::shared_ptr<output_sink> out,
                                         const run_options& opts) {
  caf::actor_system_config cfg;
  configure_system(cfg, opts.threads);
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  auto monitor = caf::actor_cast<caf::actor>(self);
  deploy_options dopts;
  dopts.fuse = opts.fuse;
  dopts.cell_groups = opts.cell_groups;
  auto d = deploy_with_sink(self, g, std::move(out), monitor, {}, dopts);
  if (!d)
    return d.error();
  auto key = node_key("source:replay");
  auto source
    = self->spawn(replay_source, std::string{"replay"}, std::move(input),
                  d->sensors, d->sensor_actors, key, opts.replay, monitor);
  if (auto err = attach_source(self, *d, source, key))
    return err;
  replay_summary summary;
  std::unordered_map<std::string, node_counts> node_reports;
  size_t sensors_left = d->sensor_actors.size();
  size_t nodes_left = d->derived;
  bool source_done = false;
  bool sink_done = false;
  caf::error sink_error;
  caf::error source_error;
  auto started = std::chrono::steady_clock::now();
  self->send(source, start_atom_v);
  self->receive_while([&] {
    return sensors_left + nodes_left > 0 || !source_done || !sink_done;
  })(
    [&](report_atom, std::string& name, node_counts& counts) {
      node_reports.emplace(std::move(name), std::move(counts));
      --nodes_left;
    },
    [&](report_atom, std::string&, ingest_counts& counts) {
      // Sensors report what they accepted and what was out of order.
      summary.ingest.accepted += counts.accepted;
      summary.ingest[reject_reason::out_of_order]
        += counts[reject_reason::out_of_order];
      --sensors_left;
    },
    [&](report_atom, std::string&, ingest_counts& counts,
        std::vector<uint64_t>& lines, std::string& read_error) {
      // The source's accepted samples are counted again by the sensors.
      counts.accepted = 0;
      summary.ingest.merge(counts);
      summary.malformed_lines = std::move(lines);
      if (!read_error.empty())
        source_error = make_error(errc::io_error, std::move(read_error));
      source_done = true;
    },
    [&](done_atom, uint64_t outputs, caf::error& err) {
      summary.outputs = outputs;
      sink_error = std::move(err);
      sink_done = true;
    });
  summary.seconds
    = std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
        .count();
  for (auto& n : g.nodes)
    if (n.kind != node_kind::sensor)
      summary.nodes.emplace_back(n.name, node_reports[n.name]);
  if (source_error)
    return source_error;
  if (sink_error)
    return sink_error;
  return summary;
}

} // namespace shoal
