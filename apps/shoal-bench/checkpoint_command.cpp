#include "apps/shoal-bench/checkpoint_command.hpp"

#include <cstdio>
#include <filesystem>
#include <string>
#include <unistd.h>

#include "apps/common/cli.hpp"
#include "apps/shoal-bench/checkpoint_bench.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/parse_number.hpp"

namespace shoal {

namespace {

const char* usage
  = "usage: shoal-bench checkpoint-store [--nodes N] [--state-bytes B] "
    "[--changed X] [--checkpoints C] [--dir DIR]\n";

/// Checks the options' values into `opts`; an empty string when they are
/// fine.
std::string check(const std::string& nodes, const std::string& state_bytes,
                  const std::string& checkpoints, const std::string& changed,
                  checkpoint_bench_options& opts) {
  if (!nodes.empty()
      && (!parse_number(nodes.c_str(), opts.nodes) || opts.nodes < 1))
    return "--nodes needs an integer of at least 1, got '" + nodes + "'";
  if (!state_bytes.empty()
      && !parse_number(state_bytes.c_str(), opts.state_bytes))
    return "--state-bytes needs a non-negative integer, got '" + state_bytes
           + "'";
  if (!checkpoints.empty()
      && !parse_number(checkpoints.c_str(), opts.incrementals))
    return "--checkpoints needs a non-negative integer, got '" + checkpoints
           + "'";
  auto& x = opts.changed_share;
  if (!changed.empty()
      && (!parse_number(changed.c_str(), x) || !(x > 0.0 && x <= 1.0)))
    return "--changed needs a number above 0 and at most 1, got '" + changed
           + "'";
  return {};
}

double ms(double s) {
  return s * 1e3;
}

void print(const checkpoint_bench_options& opts,
           const checkpoint_bench_figures& r, bool removed) {
  auto per_node = [&](uint64_t bytes) {
    return static_cast<double>(bytes) / static_cast<double>(r.nodes);
  };
  std::printf("checkpoint store: %zu nodes, %zu-byte states, %zu changed per "
              "checkpoint, %zu incremental checkpoints\n",
              r.nodes, opts.state_bytes, r.changed, opts.incrementals);
  std::printf("  in %s%s\n", opts.dir.c_str(),
              removed ? " (removed afterwards)" : "");
  std::printf("  %-44s %9.1f ms\n", "write a full checkpoint",
              ms(r.full_write_s));
  std::printf("  %-44s %9.1f ms (min %.1f, max %.1f)\n",
              "write an incremental checkpoint, median",
              ms(r.incremental_write_s), ms(r.incremental_min_s),
              ms(r.incremental_max_s));
  std::printf("  %-44s %9.1f ms (after the prune %.1f ms, after the "
              "reopen %.1f ms)\n",
              "read all back", ms(r.read_all_s), ms(r.read_after_prune_s),
              ms(r.read_after_reopen_s));
  std::printf("  %-44s %9.1f ms\n", "commit (a synced write of a few bytes)",
              ms(r.commit_s));
  std::printf("  %-44s %9.1f ms\n", "prune to the last checkpoint",
              ms(r.prune_s));
  std::printf("  %-44s %9.1f ms\n", "close and open again", ms(r.reopen_s));
  std::printf("  %-44s %9.0f after the full checkpoint, %.0f after the "
              "incremental ones, %.0f after the prune, %.0f after the reopen\n",
              "bytes per node", per_node(r.bytes_full),
              per_node(r.bytes_incremental), per_node(r.bytes_pruned),
              per_node(r.bytes_reopened));
  std::printf("  %-44s %9.1f MB (%.0f bytes per node)\n",
              "files in the directory at the end", r.dir_bytes / 1e6,
              per_node(r.dir_bytes));
}

} // namespace

int checkpoint_store_command(int argc, char** argv) {
  checkpoint_bench_options opts;
  CLI::App app{"what the checkpoint store costs", "checkpoint-store"};
  prepare_cli(app, "shoal-bench");
  std::string nodes;
  std::string state_bytes;
  std::string checkpoints;
  std::string changed;
  app.add_option("--nodes", nodes);
  app.add_option("--state-bytes", state_bytes);
  app.add_option("--checkpoints", checkpoints);
  app.add_option("--changed", changed);
  app.add_option("--dir", opts.dir);
  const char* tool = "shoal-bench checkpoint-store";
  auto outcome = parse_cli(app, argc, argv, tool, usage, usage);
  if (outcome.exit)
    return outcome.code;
  if (auto bad = check(nodes, state_bytes, checkpoints, changed, opts);
      !bad.empty()) {
    std::fprintf(stderr, "%s: %s\n%s", tool, bad.c_str(), usage);
    return 2;
  }
  bool temporary = opts.dir.empty();
  if (temporary) {
    opts.dir = (std::filesystem::temp_directory_path()
                / ("shoal-bench-checkpoints-" + std::to_string(::getpid())))
                 .string();
    std::error_code ec;
    std::filesystem::remove_all(opts.dir, ec);
  }
  auto figures = bench_checkpoint_store(opts);
  if (temporary) {
    std::error_code ec;
    std::filesystem::remove_all(opts.dir, ec);
  }
  if (!figures) {
    std::fprintf(stderr, "shoal-bench checkpoint-store: %s\n",
                 describe(figures.error()).c_str());
    return 1;
  }
  print(opts, *figures, temporary);
  return 0;
}

} // namespace shoal
