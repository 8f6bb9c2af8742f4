// `shoal-node --graph G --replay IN --out OUT`: load, check, run, summarize.

#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <system_error>
#include <thread>

#include "actors/deploy/local_replay.hpp"
#include "apps/common/cli.hpp"
#include "apps/shoal-node/node_commands.hpp"
#include "apps/shoal-node/summary.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/graph/graph_load.hpp"
#include "runtime/io/csv_file_sink.hpp"
#include "runtime/io/influx_bytes.hpp"

namespace shoal {

namespace {

/// Whether `out` names the existing file `in`, also through another
/// spelling, a symbolic or a hard link: opening it for writing would empty
/// the input before it is read.
bool same_file(const std::string& in, const std::string& out) {
  std::error_code ec;
  return std::filesystem::equivalent(in, out, ec) && !ec;
}

} // namespace

int replay_command(const node_args& given) {
  // "-": stdin and stdout; the summary and every message go to stderr.
  auto args = given;
  args.replay = stdio_path(given.replay, true);
  args.out = stdio_path(given.out, false);
  auto g = load_graph(args.graph);
  if (!g) {
    std::fprintf(stderr, "shoal-node: %s\n", describe(g.error()).c_str());
    return 2;
  }
  // A file, or the points of an InfluxDB replay written as one (SPEC
  // section 13).
  auto bytes = open_replay_bytes(args.replay);
  if (!bytes) {
    std::fprintf(stderr, "shoal-node: %s\n", describe(bytes.error()).c_str());
    return 2;
  }
  auto input = sample_reader::open(*bytes, args.replay);
  if (!input) {
    std::fprintf(stderr, "shoal-node: %s\n", describe(input.error()).c_str());
    return 2;
  }
  if (given.out != "-" && same_file(args.replay, args.out)) {
    std::fprintf(stderr,
                 "shoal-node: --out %s is the input file %s; refusing to "
                 "overwrite it\n",
                 args.out.c_str(), args.replay.c_str());
    return 2;
  }
  // OUT is this run's result (SPEC section 6), never added to an old one.
  auto out = csv_file_sink::open(args.out, file_mode::truncate);
  if (!out) {
    std::fprintf(stderr, "shoal-node: %s\n", describe(out.error()).c_str());
    return 2;
  }
  run_options opts;
  opts.threads = args.threads;
  opts.cell_groups = args.cell_groups;
  opts.replay.allowed_lateness_ns = args.allowed_lateness_ns;
  auto reader = std::make_shared<sample_reader>(std::move(*input));
  std::shared_ptr<output_sink> sink{std::move(*out)};
  auto summary = run_replay(*g, reader, sink, opts);
  if (!summary) {
    std::fprintf(stderr, "shoal-node: %s\n", describe(summary.error()).c_str());
    return 1;
  }
  print_summary(stderr, *g, args.replay, *summary,
                scheduler_threads(args.threads));
  return 0;
}

} // namespace shoal
